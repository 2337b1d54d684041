package dev.goloom.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.internal.timer.Timers;
import dev.goloom.testing.Stress;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Timers at scale and under concurrency (times the stress multiplier). */
@Tag("stress")
class TimerStressTest {

    /** 100,000 x multiplier (a million under -Pstress) concurrent timers: started from many goroutines, half fire, half are stopped. */
    @Test
    void aMillionConcurrentTimers() throws InterruptedException {
        int n = Stress.scaled(100_000);   // -Pstress: x10 = a million
        int workers = 100;
        try (GoRuntime rt = GoRuntime.builder().build()) {
            AtomicInteger fired = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(workers);
            Timer[] ts = new Timer[n];
            for (int w = 0; w < workers; w++) {
                int base = w;
                rt.go(() -> {
                    for (int i = base; i < n; i += workers) {
                        ts[i] = i % 2 == 0 ? Time.newTimer(Duration.ofHours(1))
                                : Time.afterFunc(Duration.ofMillis(200 + i % 500), fired::incrementAndGet);
                    }
                    started.countDown();
                });
            }
            assertTrue(started.await(5, TimeUnit.MINUTES));
            for (int i = 0; i < n; i += 2) {
                assertTrue(ts[i].stop());
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (fired.get() < n / 2 && System.nanoTime() < deadline) {
                Time.sleep(Duration.ofMillis(50));
            }
            assertEquals(n / 2, fired.get());
        }
        // the last callback may still be returning (it counts as pending until it has)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Timers.pending() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertFalse(Timers.pending(), () -> "pending: " + Timers.host.heaps());
    }

    /** Many goroutines reset and stop their timers at random: never a stale value afterwards. */
    @Test
    void resetAndStopNeverLeaveAStaleValue() throws InterruptedException {
        int goroutines = 16;
        int rounds = Stress.scaled(2_000);
        try (GoRuntime rt = GoRuntime.builder().build()) {
            AtomicInteger stale = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(goroutines);
            for (int g = 0; g < goroutines; g++) {
                int seed = g;
                rt.go(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Timer t = Time.newTimer(Duration.ofNanos(r.nextLong(100_000)));
                    Ticker tk = Time.newTicker(Duration.ofNanos(10_000 + r.nextLong(100_000)));
                    for (int i = 0; i < rounds; i++) {
                        if (r.nextBoolean()) {
                            t.reset(Duration.ofHours(1));
                        } else {
                            t.stop();
                        }
                        if (r.nextBoolean()) {
                            tk.stop();
                        } else {
                            tk.reset(Duration.ofHours(1));
                        }
                        if (t.c().tryRecv() != null || tk.c().tryRecv() != null) {
                            stale.incrementAndGet();
                        }
                        t.reset(Duration.ofNanos(r.nextLong(50_000)));
                        tk.reset(Duration.ofNanos(10_000 + r.nextLong(50_000)));
                        if (r.nextInt(8) == 0) {
                            t.c().recv();
                        }
                    }
                    t.stop();
                    tk.stop();
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.MINUTES));
            assertEquals(0, stale.get());
        }
    }
}
