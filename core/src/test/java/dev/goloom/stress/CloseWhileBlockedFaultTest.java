package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8 "Faults": a runtime closed while its goroutines block. {@link GoRuntime#close()} is
 * documented as "stops accepting goroutines, waits for the live ones to end, then stops the
 * carriers" (API.md: "stop accepting work; wait for goroutines"). So, with goroutines blocked
 * on a channel when another thread calls {@code close()}:
 * <ul>
 * <li>{@code close()} does not return while they are blocked, and {@code go()} fails at once with
 *     {@code IllegalStateException("goloom: runtime 'NAME' is closed")} — from a plain thread and
 *     from the runtime's own goroutines alike (nothing is silently dropped);</li>
 * <li>once they are released (from a plain thread) every one of them receives its value and
 *     ends, and only then does {@code close()} return, with no goroutine left.</li>
 * </ul>
 */
class CloseWhileBlockedFaultTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    private static final int N = 64;

    @Test
    void closeWaitsForBlockedGoroutinesAndRefusesNewOnes() throws Exception {
        GoRuntime rt = GoRuntime.builder().name("closing").maxProcs(2).build();
        Chan<Integer> ch = Chan.make();
        WaitGroup started = new WaitGroup();
        ConcurrentHashMap<Integer, Boolean> received = new ConcurrentHashMap<>();
        AtomicInteger refusedInside = new AtomicInteger();
        AtomicInteger acceptedInside = new AtomicInteger();
        started.add(N);
        for (int i = 0; i < N; i++) {
            rt.go(() -> {
                started.done();
                Integer v = ch.recv();
                assertTrue(received.putIfAbsent(v, true) == null, "value " + v + " received twice");
                try {
                    rt.go(() -> { });   // the runtime is closing by now: refused, not dropped
                    acceptedInside.incrementAndGet();
                } catch (IllegalStateException e) {
                    assertEquals("goloom: runtime 'closing' is closed", e.getMessage());
                    refusedInside.incrementAndGet();
                }
            });
        }
        started.await();

        AtomicBoolean closeReturned = new AtomicBoolean();
        AtomicReference<Throwable> closeFailed = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().name("closer").start(() -> {
            try {
                rt.close();
            } catch (Throwable e) {
                closeFailed.set(e);
            }
            closeReturned.set(true);
        });
        // close() has begun once go() is refused (polled: nothing can wait on it)
        assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> {
            try {
                rt.go(() -> { }).id();
                return false;       // not closed yet: this goroutine ends at once, close waits for it too
            } catch (IllegalStateException e) {
                return true;
            }
        }), "go() is refused once close() has begun");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.go(() -> { }));
        assertEquals("goloom: runtime 'closing' is closed", e.getMessage());
        assertFalse(closeReturned.get(), "close() returned while " + rt.numGoroutine() + " goroutines were blocked");
        assertTrue(rt.numGoroutine() >= N, rt::dump);

        for (int i = 0; i < N; i++) {
            ch.send(i);             // from a plain thread: each send hands a value to one blocked goroutine
        }
        closer.join(GoTestSupport.LONG_DELAY.toMillis());
        assertFalse(closer.isAlive(), "close() did not return after the goroutines ended:\n" + rt.dump());
        assertTrue(closeReturned.get());
        assertEquals(null, closeFailed.get());
        assertEquals(N, received.size(), "every value was received exactly once");
        assertEquals(N, refusedInside.get() + acceptedInside.get());
        assertEquals(N, refusedInside.get(), "every go() after close() began was refused");
        assertEquals(0, rt.numGoroutine(), rt::dump);
        assertThrows(IllegalStateException.class, () -> rt.go(() -> { }));
    }

    /**
     * close() interrupted while goroutines block: as ExecutorService.close(), it interrupts them
     * (each gets GoInterruptedException from its recv, the channel keeps no value), keeps
     * waiting until they end, stops the carriers and returns with the interrupt flag set.
     */
    @Test
    void interruptedCloseInterruptsTheGoroutinesAndStillWaits() throws Exception {
        GoRuntime rt = GoRuntime.builder().name("interrupted-close").maxProcs(2).build();
        Chan<Integer> ch = Chan.make();
        WaitGroup started = new WaitGroup();
        AtomicInteger interruptedInside = new AtomicInteger();
        started.add(N);
        for (int i = 0; i < N; i++) {
            rt.go(() -> {
                started.done();
                try {
                    ch.recv();
                } catch (dev.goloom.GoInterruptedException e) {
                    interruptedInside.incrementAndGet();
                }
            });
        }
        started.await();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().name("closer").start(() -> {
            rt.close();
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> {
            try {
                rt.go(() -> { }).id();
                return false;
            } catch (IllegalStateException e) {
                return true;
            }
        }), "go() is refused once close() has begun");
        closer.interrupt();
        closer.join(GoTestSupport.LONG_DELAY.toMillis());
        assertFalse(closer.isAlive(), "close() did not return after interrupting:\n" + rt.dump());
        assertEquals(N, interruptedInside.get(), "every blocked goroutine was interrupted");
        assertEquals(0, rt.numGoroutine(), rt::dump);
        assertTrue(flagAfter.get(), "close() returns with the interrupt flag set");
        assertEquals(0, ch.len());
    }

    @Test
    void closeOfAnIdleRuntimeReturnsAtOnceAndTwiceIsHarmless() {
        GoRuntime rt = GoRuntime.builder().name("idle").maxProcs(1).build();
        rt.main(() -> { });
        rt.close();
        rt.close();
        assertEquals(0, rt.numGoroutine());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.main(() -> { }));
        assertEquals("goloom: runtime 'idle' is closed", e.getMessage());
    }
}
