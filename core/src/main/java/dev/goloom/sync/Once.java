package dev.goloom.sync;

import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.WaitReason;
import java.util.Objects;

/**
 * An object that performs exactly one action: Go's {@code sync.Once}.
 *
 * <p>{@link #run(Runnable)} calls its function if and only if {@code run} is being called for the
 * first time on this Once. Concurrent callers wait until that first call has finished, so when
 * {@code run} returns the action is complete, whoever ran it. Later calls with other functions do
 * nothing.
 *
 * {@snippet :
 * private final Once once = new Once();
 * private Config config;
 *
 * Config config() {
 *     once.run(() -> config = Config.load());
 *     return config;      // safe: run() happens-after the load
 * }
 * }
 *
 * <h2>Panics</h2>
 * If the function throws, the exception propagates to the caller that ran it (only), and the Once
 * still counts as done: later calls do not run anything, as in Go ("if f panics, Do considers it
 * to have returned").
 *
 * <h2>Recursion deadlocks, as in Go</h2>
 * If the function calls {@code run} on the same Once, the inner call blocks forever: it waits for
 * the outer call to finish, which waits for it. This class keeps Go's behaviour rather than
 * throwing: goloom's deadlock detection reports it like Go's runtime
 * ({@code DeadlockError: all goroutines are asleep - deadlock!} from {@code GoRuntime.main} when
 * nothing else can run), dumps show the goroutine in {@code [sync.Mutex.Lock]}, and interrupting
 * it ends the inner call with {@link GoInterruptedException}. A check for recursion would cost a
 * thread identity test on every slow path and would still miss the same deadlock through two
 * goroutines, which Go cannot detect either.
 *
 * <h2>Blocking and interruption</h2>
 * A caller waiting for another's function shows as {@code [sync.Mutex.Lock]}; an interrupt makes
 * it throw {@link GoInterruptedException} (flag kept) without having run anything.
 *
 * <h2>Memory consistency effects</h2>
 * The return from the function run by the first call happens-before the return of every
 * {@code run} call (Go: "the completion of a single call of f() synchronizes before the return of
 * any call of once.Do(f)").
 */
public final class Once {
    /* Implementation notes
     *
     * Overview
     *   Go's: a volatile done flag for the fast path, and a Mutex that serializes the slow path.
     *   The flag is set after f returns or throws (Go's deferred store), while still holding m.
     *
     * Lineage
     *   golang/go src/sync/once.go @go1.23. No deviations.
     *
     * Invariants
     *   I1 done goes false -> true once, after the one call of a function has ended, under m.
     *
     * Memory ordering
     *   The volatile write done = true (after f) pairs with the fast path's volatile read: f's
     *   effects happen-before any run() that sees done. Slow-path callers are ordered by m.
     *
     * Rejected alternatives
     *   A CAS on done before calling f (the "obvious" implementation): a second caller would
     *   return before f finished, which Go's doc explicitly rules out.
     */

    private volatile boolean done;
    private final Mutex m = new Mutex();

    /** A Once whose function has not run (Go's zero value). */
    public Once() {
    }

    /**
     * Runs {@code f} if this is the first call of {@code run} on this Once; otherwise waits for
     * the first call to finish (if it is still running) and returns.
     *
     * @throws NullPointerException if {@code f} is null (checked on every call)
     * @throws GoInterruptedException if interrupted while waiting for another caller's function
     */
    public void run(Runnable f) {
        Objects.requireNonNull(f, "sync: Once.run(null)");
        if (!done) {               // fast path: pairs with the volatile write below
            runSlow(f);
        }
    }

    private void runSlow(Runnable f) {
        m.lock(WaitReason.MUTEX_LOCK, true);
        try {
            if (!done) {
                try {
                    f.run();
                } finally {
                    done = true;   // keeps I1, even if f threw (Go's defer)
                }
            }
        } finally {
            m.unlock();
        }
    }

    /** Whether the function has run (or thrown). */
    boolean isDone() {
        return done;
    }

    @Override
    public String toString() {
        return "Once[" + (done ? "done" : "not done") + "]";
    }
}
