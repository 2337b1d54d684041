package dev.goloom;

import static dev.goloom.ChanTesting.awaitParked;
import static dev.goloom.ChanTesting.join;
import static dev.goloom.ChanTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.chan.WhiteBox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Channel semantics: the behaviours of Go's src/runtime/chan_test.go and test/chan. */
class ChanTest {

    // --------------------------------------------------------------- make, len, cap

    @Test
    void negativeCapacityIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Chan.make(-1));
        assertTrue(e.getMessage().contains("makechan: size out of range"), e.getMessage());
    }

    @Test
    void lenAndCap() {
        for (int cap = 0; cap < 20; cap++) {
            Chan<Integer> c = Chan.make(cap);
            assertEquals(cap, c.cap());
            assertEquals(0, c.len());
            for (int i = 0; i < cap; i++) {
                assertTrue(c.trySend(i));
                assertEquals(i + 1, c.len());
            }
            assertFalse(c.trySend(-1), "send to a full channel must not proceed");
            for (int i = 0; i < cap; i++) {
                assertEquals(i, c.recv());            // FIFO
                assertEquals(cap - i - 1, c.len());
            }
            assertNull(c.tryRecv(), "receive from an empty channel must not proceed");
            WhiteBox.checkInvariants(c);
        }
    }

    // --------------------------------------------------------------- unbuffered rendezvous

    @Test
    void unbufferedSendWaitsForReceiver() {
        Chan<String> c = Chan.make();
        AtomicBoolean sent = new AtomicBoolean();
        Thread t = start(() -> {
            c.send("x");
            sent.set(true);
        });
        awaitParked(t);
        assertFalse(sent.get(), "an unbuffered send completed with no receiver");
        assertEquals(0, c.len());
        assertEquals("x", c.recv());
        join(t);
        assertTrue(sent.get());
        WhiteBox.checkInvariants(c);
    }

    @Test
    void unbufferedReceiveWaitsForSender() {
        Chan<String> c = Chan.make();
        List<String> got = new ArrayList<>();
        Thread t = start(() -> got.add(c.recv()));
        awaitParked(t);
        assertTrue(WhiteBox.hasWaiters(c));
        assertTrue(c.trySend("y"), "trySend must hand the value to a waiting receiver");
        join(t);
        assertEquals(List.of("y"), got);
        assertFalse(WhiteBox.hasWaiters(c));
    }

    @Test
    void bufferedChannelIsFifoAcrossBlockedSenders() {
        // Go's test/chan/fifo.go AsynchFifo, plus senders blocked on a full buffer.
        Chan<Integer> c = Chan.make(4);
        Thread t = start(() -> {
            for (int i = 0; i < 100; i++) {
                c.send(i);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(i, c.recv());
        }
        join(t);
        WhiteBox.checkInvariants(c);
    }

    @Test
    void synchronousFifoChain() {
        // Go's test/chan/fifo.go SynchFifo: each goroutine waits for its predecessor's token
        // before sending its own value; the receiver sees them in order.
        int n = 100;
        Chan<Integer> ch = Chan.make();
        Chan<Integer> in = Chan.make();
        Chan<Integer> start = in;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Chan<Integer> out = Chan.make();
            Chan<Integer> myIn = in;
            int v = i;
            ts.add(start(() -> {
                myIn.recv();
                ch.send(v);
                out.send(1);
            }));
            in = out;
        }
        Chan<Integer> last = in;
        start.send(0);
        for (int i = 0; i < n; i++) {
            assertEquals(i, ch.recv());
        }
        last.recv();
        ts.forEach(ChanTesting::join);
    }

    @Test
    void manySendersAndReceiversEveryValueOnce() {
        // chan_test.go TestChan "Send 100 integers, ensure that we receive them non-corrupted
        // in FIFO order" and the multi-goroutine part, for several capacities.
        for (int cap : new int[] {0, 1, 4, 64}) {
            Chan<Integer> c = Chan.make(cap);
            int senders = 4, per = 2_000;
            AtomicLong sum = new AtomicLong();
            AtomicInteger count = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int base = s * per;
                ts.add(start(() -> {
                    for (int i = 0; i < per; i++) {
                        c.send(base + i);
                    }
                }));
            }
            List<Thread> rs = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                rs.add(start(() -> {
                    for (Integer v : c) {
                        sum.addAndGet(v);
                        count.incrementAndGet();
                    }
                }));
            }
            ts.forEach(ChanTesting::join);
            c.close();
            rs.forEach(ChanTesting::join);
            long n = (long) senders * per;
            assertEquals(n, count.get());
            assertEquals(n * (n - 1) / 2, sum.get());
            WhiteBox.checkInvariants(c);
            assertEquals(0, WhiteBox.waiters(c));
        }
    }

    // --------------------------------------------------------------- close

    @Test
    void closedChannelDrainsThenReportsClosed() {
        Chan<Integer> c = Chan.make(3);
        c.send(1);
        c.send(null);
        c.close();
        assertEquals(new Recv<>(1, true), c.recvOk());
        assertEquals(new Recv<>(null, true), c.recvOk(), "null is a value, not the end");
        assertEquals(new Recv<>(null, false), c.recvOk());
        assertNull(c.recv());
        assertEquals(new Recv<>(null, false), c.tryRecv());
        assertEquals(0, c.len());
    }

    @Test
    void sendOnClosedAndCloseOfClosedUseGoWords() {
        Chan<Integer> c = Chan.make(1);
        c.close();
        ChanClosedException e1 = assertThrows(ChanClosedException.class, () -> c.send(1));
        assertEquals("send on closed channel", e1.getMessage());
        ChanClosedException e2 = assertThrows(ChanClosedException.class, () -> c.trySend(1));
        assertEquals("send on closed channel", e2.getMessage());
        ChanClosedException e3 = assertThrows(ChanClosedException.class, c::close);
        assertEquals("close of closed channel", e3.getMessage());
        assertTrue(e3 instanceof IllegalStateException);
    }

    @Test
    void closeWakesEveryBlockedReceiverAndSender() {
        Chan<Integer> recvs = Chan.make();
        int n = 50;
        ConcurrentLinkedQueue<Recv<Integer>> got = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ts.add(start(() -> got.add(recvs.recvOk())));
        }
        ts.forEach(ChanTesting::awaitParked);
        recvs.close();
        ts.forEach(ChanTesting::join);
        assertEquals(n, got.size());
        got.forEach(r -> assertEquals(new Recv<>(null, false), r));
        assertEquals(0, WhiteBox.waiters(recvs));

        Chan<Integer> sends = Chan.make(1);
        sends.send(0);
        AtomicInteger closedSeen = new AtomicInteger();
        ts.clear();
        for (int i = 0; i < n; i++) {
            int v = i + 1;
            ts.add(start(() -> {
                try {
                    sends.send(v);
                } catch (ChanClosedException e) {
                    assertEquals("send on closed channel", e.getMessage());
                    closedSeen.incrementAndGet();
                }
            }));
        }
        ts.forEach(ChanTesting::awaitParked);
        sends.close();
        ts.forEach(ChanTesting::join);
        assertEquals(n, closedSeen.get());
        assertEquals(0, sends.recv());                 // the buffered value survives close
        assertEquals(new Recv<>(null, false), sends.recvOk());
        WhiteBox.checkInvariants(sends);
    }

    @Test
    void iterationAndStreamEndAtCloseAndDrain() {
        Chan<Integer> c = Chan.make(10);
        for (int i = 0; i < 5; i++) {
            c.send(i);
        }
        c.close();
        int expect = 0;
        for (int v : c) {
            assertEquals(expect++, v);
        }
        assertEquals(5, expect);

        Chan<String> s = Chan.make();
        Thread t = start(() -> {
            for (String x : List.of("a", "b", "c")) {
                s.send(x);
            }
            s.close();
        });
        assertEquals("a,b,c", s.stream().collect(Collectors.joining(",")));
        join(t);
        RecvChan<String> asRecv = s;
        assertFalse(asRecv.iterator().hasNext());
    }

    // --------------------------------------------------------------- non-blocking (test/chan/nonblock.go)

    @Test
    void nonblockingOperationsNeverBlock() {
        for (int cap : new int[] {0, 1, 10}) {
            Chan<Integer> c = Chan.make(cap);
            assertNull(c.tryRecv());
            // unbuffered: trySend fails with no receiver; buffered: fills, then fails
            for (int i = 0; i < cap; i++) {
                assertTrue(c.trySend(i));
            }
            assertFalse(c.trySend(99));
            // a receiver parked in recv makes trySend succeed (unbuffered rendezvous)
            if (cap == 0) {
                AtomicInteger got = new AtomicInteger(-1);
                Thread t = start(() -> got.set(c.recv()));
                awaitParked(t);
                assertTrue(c.trySend(7));
                join(t);
                assertEquals(7, got.get());
                // a parked sender makes tryRecv succeed
                Thread s = start(() -> c.send(8));
                awaitParked(s);
                assertEquals(new Recv<>(8, true), c.tryRecv());
                join(s);
            }
            for (int i = 0; i < cap; i++) {
                assertEquals(new Recv<>(i, true), c.tryRecv());
            }
            assertNull(c.tryRecv());
        }
    }

    @Test
    void nonblockRecvRace() {
        // chan_test.go TestNonblockRecvRace: a non-blocking receive racing with close must see
        // the buffered value or the close, never "nothing ready".
        for (int i = 0; i < 2_000; i++) {
            Chan<Integer> c = Chan.make(1);
            c.send(1);
            AtomicBoolean bad = new AtomicBoolean();
            Thread t = start(() -> {
                if (c.tryRecv() == null) {
                    bad.set(true);
                }
            });
            c.close();
            c.tryRecv();
            join(t);
            assertFalse(bad.get(), "chan is not ready");
        }
    }

    // --------------------------------------------------------------- values

    @Test
    void nullValuesAndZeroSizeElements() {
        // test/chan/zerosize.go: channels of zero-size elements
        Chan<Void> v = Chan.make(2);
        v.send(null);
        v.send(null);
        assertEquals(2, v.len());
        assertEquals(new Recv<Void>(null, true), v.recvOk());
        record Empty() {
        }
        Chan<Empty> e = Chan.make();
        Thread t = start(() -> e.send(new Empty()));
        assertEquals(new Empty(), e.recv());
        join(t);
        Chan<Object> u = Chan.make();
        Thread t2 = start(() -> u.send(null));
        assertEquals(new Recv<>(null, true), u.recvOk());
        join(t2);
    }

    @Test
    void valuesOfAnyTypePassThrough() {
        Chan<Object> c = Chan.make(8);
        Object[] vs = {1, "s", 2.5, new int[] {1}, List.of(), c, Chan.make()};
        for (Object o : vs) {
            c.send(o);
        }
        for (Object o : vs) {
            assertTrue(o == c.recv());
        }
    }

    // --------------------------------------------------------------- scale

    @Test
    void hundredThousandBlockedSenders() {
        int n = 100_000;
        Chan<Integer> c = Chan.make();
        CountDownLatch started = new CountDownLatch(n);
        List<Thread> ts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int v = i;
            ts.add(start(() -> {
                started.countDown();
                c.send(v);
            }));
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int v = c.recv();
            assertFalse(seen[v], "value " + v + " received twice");
            seen[v] = true;
        }
        ts.forEach(ChanTesting::join);
        WhiteBox.checkInvariants(c);
        assertEquals(0, WhiteBox.waiters(c));
    }

    @Test
    void aMillionChannels() {
        int n = 1_000_000;
        List<Chan<Integer>> cs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Chan<Integer> c = Chan.make(1);
            c.send(i);
            cs.add(c);
        }
        long sum = 0;
        for (Chan<Integer> c : cs) {
            sum += c.recv();
        }
        assertEquals((long) n * (n - 1) / 2, sum);
    }

    // --------------------------------------------------------------- sieve (test/chan/sieve1.go)

    @Test
    void primeSieve() {
        // A stoppable version: the generator selects on quit, every filter closes its output
        // when its input closes, and main drains the chain, so every goroutine ends.
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).name("sieve").build()) {
            List<Integer> primes = new ArrayList<>();
            rt.main(() -> {
                Chan<Integer> ch = Chan.make();
                Chan<Void> quit = Chan.make();
                rt.go(() -> {
                    boolean[] stop = {false};
                    for (int i = 2; !stop[0]; i++) {
                        Select.select(Select.send(ch, i, null), Select.recv(quit, x -> stop[0] = true));
                    }
                    ch.close();
                });
                Chan<Integer> in = ch;
                for (int i = 0; i < 100; i++) {
                    int prime = in.recv();
                    primes.add(prime);
                    Chan<Integer> out = Chan.make();
                    Chan<Integer> src = in;
                    rt.go(() -> {
                        for (int v : src) {
                            if (v % prime != 0) {
                                out.send(v);
                            }
                        }
                        out.close();
                    });
                    in = out;
                }
                quit.close();
                for (Integer ignored : in) {
                    // drain
                }
            });
            assertEquals(100, primes.size());
            assertEquals(541, primes.get(99));
            assertEquals(List.of(2, 3, 5, 7, 11, 13), primes.subList(0, 6));
        }
    }
}
