package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
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

    /** Polls rt until at least {@code n} goroutines wait with {@code reason}. */
    static void awaitWaiting(GoRuntime rt, String reason, int n) {
        long deadline = System.nanoTime() + LONG_DELAY.toNanos();
        while (countWaiting(rt, reason) < n) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + n + " goroutines in [" + reason + "]:\n" + rt.dump());
            }
            Thread.yield();
        }
    }

    static int countWaiting(GoRuntime rt, String reason) {
        int c = 0;
        for (GoroutineInfo gi : rt.goroutines()) {
            if (reason.equals(gi.waitReason())) {
                c++;
            }
        }
        return c;
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
