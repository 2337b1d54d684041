package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.GoRuntime;
import dev.goloom.time.Time;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers shared by the x tests. */
final class XTesting {
    /** How long a test waits for something that should happen promptly before failing. */
    static final Duration LONG_DELAY = Duration.ofSeconds(30);

    private XTesting() {
    }

    /** Polls {@code cond} until it holds; fails with {@code what} after LONG_DELAY. */
    static void eventually(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + LONG_DELAY.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }

    /**
     * Polls rt.numGoroutine() until it is back to {@code baseline} or below (no fixed sleeps):
     * a goroutine of an earlier test that was still ending when the baseline was read may end
     * meanwhile, so "below" is no leak. Fails with the dump after LONG_DELAY.
     */
    static void awaitGoroutines(GoRuntime rt, int baseline) {
        long deadline = System.nanoTime() + LONG_DELAY.toNanos();
        while (rt.numGoroutine() > baseline) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("goroutines leaked: " + rt.numGoroutine() + " > " + baseline
                        + "\n" + rt.dump());
            }
            Time.sleep(Duration.ofMillis(1));
        }
    }

    /** A fake clock of nanoseconds for RateLimiter tests. */
    static final class FakeClock implements java.util.function.LongSupplier {
        private long now = 1_000_000_000L;

        @Override
        public synchronized long getAsLong() {
            return now;
        }

        synchronized void advance(Duration d) {
            now += d.toNanos();
        }
    }
}
