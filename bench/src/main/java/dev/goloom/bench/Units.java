package dev.goloom.bench;

import dev.goloom.GoRuntime;
import dev.goloom.Task;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Starting units of concurrency the same way on each thread-based runtime: a goroutine
 * ({@link GoRuntime#go(Task)}), a JDK virtual thread on the default scheduler, or a platform
 * thread. {@link #runIn} runs a scenario's driver inside a unit of the same kind, as Go's
 * programs run theirs in the main goroutine.
 */
public enum Units {
    GOLOOM {
        @Override
        public void go(Task t) {
            GoRuntime.global().go(t);
        }
    },
    VT {
        @Override
        public void go(Task t) {
            Thread.ofVirtual().start(wrap(t));
        }
    },
    PT {
        @Override
        public void go(Task t) {
            Thread.ofPlatform().daemon(true).start(wrap(t));
        }
    };

    /** Starts one unit running {@code t}; an exception escaping it is printed and fails the run. */
    public abstract void go(Task t);

    /** The units of a thread-based runtime. */
    public static Units of(Rt rt) {
        return switch (rt) {
            case GOLOOM -> GOLOOM;
            case VT, JOX -> VT;
            case PT -> PT;
            default -> throw new IllegalArgumentException(rt + " has no thread-like units");
        };
    }

    /** A value-returning body. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** Runs {@code body} in a new unit of this kind and waits for its result. */
    public <T> T runIn(Call<T> body) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        go(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    static volatile Throwable failure;

    static Runnable wrap(Task t) {
        return () -> {
            try {
                t.run();
            } catch (Throwable e) {
                failure = e;
                e.printStackTrace();
            }
        };
    }

    /** Awaits a latch, turning interruption into an unchecked failure. */
    public static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails the run with {@code what} unless {@code ok}. */
    public static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
    }
}
