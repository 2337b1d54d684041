package dev.goloom.internal.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The default host: its runner fires timers on time and wakes early for an earlier timer. */
class ThreadTimerHostTest {
    private static final long MS = 1_000_000L;

    @Test
    void anEarlierTimerWakesARunnerSleepingForALaterOne() throws InterruptedException {
        ThreadTimerHost host = new ThreadTimerHost(2);
        TimerHeap h = host.heapForCurrent();
        Timer far = new Timer((t, a, s, n) -> { }, null, Timer.NONE);
        long now = System.nanoTime();
        assertTrue(h.tryAdd(far, now + TimeUnit.HOURS.toNanos(1), 0));
        host.timerAdded(h, far.when());          // tryAdd already told the host; harmless twice
        CountDownLatch fired = new CountDownLatch(1);
        long[] at = new long[1];
        Timer near = new Timer((t, a, s, n) -> {
            at[0] = System.nanoTime();
            fired.countDown();
        }, null, Timer.WAKES);
        long start = System.nanoTime();
        assertTrue(h.tryAdd(near, start + 20 * MS, 0));
        assertTrue(fired.await(10, TimeUnit.SECONDS), "near timer did not fire");
        assertTrue(at[0] - start >= 20 * MS, "fired early");
        assertTrue(h.delete(far));
        h.checkInvariants();
    }

    @Test
    void concurrentStartStopResetFromManyThreads() throws InterruptedException {
        ThreadTimerHost host = new ThreadTimerHost(2);
        TimerHost old = Timers.host;
        AtomicInteger fired = new AtomicInteger();
        int threads = 4;
        int per = 2000;
        Thread[] ths = new Thread[threads];
        Timer[] shared = new Timer[64];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = new Timer((t, a, s, n) -> fired.incrementAndGet(), null, Timer.WAKES);
        }
        // a private host, driven through Timer.start/stop/reset (which use Timers.host)
        Timers.host = host;
        try {
            for (int k = 0; k < threads; k++) {
                int seed = k;
                ths[k] = Thread.ofPlatform().start(() -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    for (int i = 0; i < per; i++) {
                        Timer t = shared[r.nextInt(shared.length)];
                        long when = System.nanoTime() + r.nextLong(2 * MS);
                        switch (r.nextInt(3)) {
                            case 0 -> {
                                try {
                                    t.start(when, 0);
                                } catch (IllegalStateException busy) {
                                    // already pending: fine
                                }
                            }
                            case 1 -> t.stop();
                            default -> t.reset(when, 0);
                        }
                    }
                });
            }
            for (Thread t : ths) {
                t.join();
            }
        } finally {
            Timers.host = old;
        }
        for (Timer t : shared) {
            t.stop();
            assertFalse(t.isPending());
        }
        for (TimerHeap h : host.heaps()) {
            h.checkInvariants();
            assertEquals(0, h.size());
        }
    }
}
