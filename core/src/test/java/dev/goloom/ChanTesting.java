package dev.goloom;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for channel tests: bounded waiting on a condition (never as synchronization of the
 *  values under test, only to observe that a thread has reached its park). */
final class ChanTesting {
    static final long LONG_DELAY_MS = 20_000;

    private ChanTesting() {
    }

    /** Spins (yielding) until cond holds; fails after LONG_DELAY_MS. */
    static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONG_DELAY_MS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.yield();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until t is parked (WAITING or TIMED_WAITING) - it reached its blocking point. */
    static void awaitParked(Thread t) {
        await(t + " parked", () -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }

    static void join(Thread t) {
        try {
            if (!t.join(java.time.Duration.ofMillis(LONG_DELAY_MS))) {
                fail(t + " did not end");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static Thread start(Runnable r) {
        return Thread.ofVirtual().start(r);
    }

    static int multiplier() {
        return Integer.getInteger("goloom.stress.multiplier", 1);
    }
}
