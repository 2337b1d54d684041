package dev.goloom.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import dev.goloom.Goroutine;
import dev.goloom.GoroutineInfo;
import dev.goloom.internal.timer.ThreadTimerHost;
import dev.goloom.internal.timer.TimerHost;
import dev.goloom.internal.timer.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SleepTest {
    @Test
    void sleepsAtLeastTheDuration() {
        long t0 = System.nanoTime();
        Time.sleep(Duration.ofMillis(30));
        assertTrue(System.nanoTime() - t0 >= 30_000_000L);
    }

    @Test
    void zeroAndNegativeReturnAtOnce() {
        Thread.currentThread().interrupt();
        try {
            Time.sleep(Duration.ZERO);                   // returns at once, even interrupted
            Time.sleep(Duration.ofSeconds(-5));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptedBeforeThrowsAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(GoInterruptedException.class, () -> Time.sleep(Duration.ofHours(1)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptWhileSleepingThrowsKeepsTheFlagAndStopsTheTimer() throws Exception {
        TimerHost old = Timers.host;
        ThreadTimerHost host = new ThreadTimerHost(1);    // a private host: only this test's timers
        Timers.host = host;
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger outcome = new AtomicInteger();
            Goroutine g = rt.go(() -> {
                try {
                    Time.sleep(Duration.ofHours(1));
                } catch (GoInterruptedException e) {
                    outcome.set(Thread.currentThread().isInterrupted() ? 1 : 2);
                } finally {
                    done.countDown();
                }
            });
            Thread th = awaitSleeping(rt, g);
            assertTrue(Timers.pending());
            th.interrupt();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(1, outcome.get());
            assertEquals(0, host.heaps().stream().mapToInt(h -> h.size()).sum(),
                    "the hour-long timer was not stopped");
        } finally {
            Timers.host = old;
        }
    }

    /** Waits (by polling the goroutine table, not by sleeping a guess) until g is asleep. */
    static Thread awaitSleeping(GoRuntime rt, Goroutine g) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (GoroutineInfo i : rt.goroutines()) {
                if (i.id() == g.id() && "sleep".equals(i.waitReason())) {
                    return ((dev.goloom.internal.sched.G) g).thread();
                }
            }
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        throw new AssertionError("goroutine never slept: " + rt.dump());
    }

    /**
     * The engine wakes sleepers in the order of their deadlines. Platform threads, so that what
     * is measured is the timer heap and not the goroutine scheduler's latency.
     */
    @Test
    void sleepersWakeInDurationOrder() throws InterruptedException {
        int n = 8;
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        List<long[]> early = new ArrayList<>();
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = n - 1; i >= 0; i--) {
            int k = i;
            ts[k] = Thread.ofPlatform().start(() -> {
                long d = 50_000_000L * (k + 1);
                Time.sleep(Duration.ofNanos(d));
                long elapsed = System.nanoTime() - t0;
                if (elapsed < d) {
                    synchronized (early) {
                        early.add(new long[] {k, elapsed});
                    }
                }
                order.add(k);
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertTrue(early.isEmpty(), "woke early");
        List<Integer> got = new ArrayList<>(order);
        List<Integer> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertEquals(sorted, got);
    }

    /** Goroutines sleeping at once: each sleeps at least its duration. */
    @Test
    void sleepingGoroutinesNeverWakeEarly() throws InterruptedException {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            int n = 16;
            AtomicInteger early = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                rt.go(() -> {
                    long d = 5_000_000L * (k + 1);
                    long t0 = System.nanoTime();
                    Time.sleep(Duration.ofNanos(d));
                    if (System.nanoTime() - t0 < d) {
                        early.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(0, early.get());
        }
    }

    @Test
    void manySleepingGoroutines() throws InterruptedException {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            int n = 50_000;
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                rt.go(() -> {
                    Time.sleep(Duration.ofMillis(50 + k % 100));
                    done.countDown();
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "sleepers left: " + done.getCount());
        }
    }

    @Test
    void sleepOnAPlainThread() {
        long t0 = System.nanoTime();
        Time.sleep(Duration.ofMillis(5));
        assertTrue(System.nanoTime() - t0 >= 5_000_000L);
    }

    @Test
    void aSleepingMainIsNotADeadlock() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(1).build()) {
            rt.main(() -> Time.sleep(Duration.ofMillis(300)));
        }
    }
}
