package dev.goloom.sync;

import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.GoRuntime;
import dev.goloom.Task;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Helpers shared by the sync tests: waiting for wait reasons, joining goroutines. */
final class SyncTesting {
    /** How long a test waits for something that should happen promptly before failing. */
    static final Duration LONG_DELAY = Duration.ofSeconds(30);
    static final int MULTIPLIER = Integer.getInteger("goloom.stress.multiplier", 1);

    private SyncTesting() {
    }

    /** A goroutine started by a test, with its thread and a way to join it. */
    static final class Handle {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread thread() {
            long deadline = System.nanoTime() + LONG_DELAY.toNanos();
            while (thread.get() == null) {
                if (System.nanoTime() > deadline) {
                    fail("goroutine did not start");
                }
                Thread.yield();
            }
            return thread.get();
        }

        /** Waits for the goroutine to end; rethrows what it threw. */
        void join() {
            try {
                if (!done.await(LONG_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("goroutine did not finish in " + LONG_DELAY);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error r) {
                throw r;
            }
            if (t != null) {
                throw new AssertionError(t);
            }
        }

        boolean isDone() {
            return done.getCount() == 0;
        }
    }

    /** Starts {@code body} as a goroutine of {@code rt}; its exception is kept for join(). */
    static Handle start(GoRuntime rt, Task body) {
        Handle h = new Handle();
        rt.go(() -> {
            h.thread.set(Thread.currentThread());
            try {
                body.run();
            } catch (Throwable t) {
                h.failure.set(t);
            } finally {
                h.done.countDown();
            }
        });
        return h;
    }

    /** Busy-waits about {@code nanos} (work inside a critical section; not synchronization). */
    static void work(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
