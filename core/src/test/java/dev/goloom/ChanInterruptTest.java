package dev.goloom;

import static dev.goloom.ChanTesting.awaitParked;
import static dev.goloom.ChanTesting.join;
import static dev.goloom.ChanTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.chan.WhiteBox;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Thread.interrupt() of a thread blocked in send/recv: GoInterruptedException, flag kept, and
 * the value delivered exactly once or left with its sender, also when the interrupt races a
 * hand-off.
 */
class ChanInterruptTest {

    @Test
    void interruptedReceiveThrowsKeepsFlagAndLeavesChannelUsable() {
        for (int cap : new int[] {0, 2}) {
            Chan<Integer> c = Chan.make(cap);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread t = start(() -> {
                try {
                    outcome.set(c.recv());
                } catch (GoInterruptedException e) {
                    outcome.set(Thread.currentThread().isInterrupted() ? "flag kept" : "flag lost");
                }
            });
            awaitParked(t);
            t.interrupt();
            join(t);
            assertEquals("flag kept", outcome.get());
            assertEquals(0, WhiteBox.waiters(c));
            WhiteBox.checkInvariants(c);
            assertEquals(cap > 0, c.trySend(1), "the channel still works");
        }
    }

    @Test
    void interruptedSendKeepsTheValue() {
        for (int cap : new int[] {0, 1}) {
            Chan<Integer> c = Chan.make(cap);
            if (cap == 1) {
                c.send(0);                               // full
            }
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread t = start(() -> {
                try {
                    c.send(42);
                    outcome.set("sent");
                } catch (GoInterruptedException e) {
                    outcome.set(Thread.currentThread().isInterrupted() ? "flag kept" : "flag lost");
                }
            });
            awaitParked(t);
            t.interrupt();
            join(t);
            assertEquals("flag kept", outcome.get());
            assertEquals(0, WhiteBox.waiters(c));
            if (cap == 1) {
                assertEquals(new Recv<>(0, true), c.tryRecv());
            }
            assertNull(c.tryRecv(), "42 must not have been sent");
        }
    }

    @Test
    void alreadyInterruptedThreadThrowsOnlyIfItWouldBlock() {
        Chan<Integer> c = Chan.make(1);
        AtomicReference<String> r = new AtomicReference<>();
        Thread t = start(() -> {
            Thread.currentThread().interrupt();
            c.send(1);                                   // room: proceeds
            int v = c.recv();                            // value: proceeds
            try {
                c.recv();                                // would block: throws
                r.set("no throw");
            } catch (GoInterruptedException e) {
                r.set("threw " + v + " " + Thread.currentThread().isInterrupted());
            }
        });
        join(t);
        assertEquals("threw 1 true", r.get());
    }

    @Test
    void interruptRacingHandOffToReceiver() {
        int rounds = 3_000;
        for (int i = 0; i < rounds; i++) {
            Chan<Integer> c = Chan.make(i % 2);          // unbuffered and cap 1
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread t = start(() -> {
                try {
                    outcome.set(c.recv());
                } catch (GoInterruptedException e) {
                    outcome.set(e);
                }
                flag.set(Thread.currentThread().isInterrupted());
            });
            awaitParked(t);
            Thread intr = start(t::interrupt);
            boolean sent = c.trySend(i);
            join(intr);
            join(t);
            if (sent && c.len() == 0) {
                assertEquals(i, outcome.get(), "value handed over but not received");
            } else {
                assertTrue(outcome.get() instanceof GoInterruptedException, String.valueOf(outcome.get()));
                if (sent) {
                    assertEquals(new Recv<>(i, true), c.tryRecv(), "value must stay in the buffer");
                }
            }
            assertEquals(0, WhiteBox.waiters(c));
            WhiteBox.checkInvariants(c);
        }
    }

    @Test
    void interruptRacingHandOffFromSender() {
        int rounds = 3_000;
        for (int i = 0; i < rounds; i++) {
            Chan<Integer> c = Chan.make();
            AtomicReference<Object> outcome = new AtomicReference<>();
            int v = i;
            Thread t = start(() -> {
                try {
                    c.send(v);
                    outcome.set("sent");
                } catch (GoInterruptedException e) {
                    outcome.set(e);
                }
            });
            awaitParked(t);
            Thread intr = start(t::interrupt);
            Recv<Integer> got = c.tryRecv();
            join(intr);
            join(t);
            if (got != null) {
                assertEquals(v, got.value());
                assertEquals("sent", outcome.get(), "received, so the send must have succeeded");
            } else {
                assertTrue(outcome.get() instanceof GoInterruptedException, String.valueOf(outcome.get()));
            }
            assertEquals(0, WhiteBox.waiters(c));
        }
    }
}
