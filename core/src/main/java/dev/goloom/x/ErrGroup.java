package dev.goloom.x;

import dev.goloom.Chan;
import dev.goloom.GoInterruptedException;
import dev.goloom.Task;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.sync.WaitGroup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A group of goroutines working on subtasks of one task, with error propagation and
 * cancellation: Go's {@code golang.org/x/sync/errgroup.Group}.
 *
 * <p>{@link #go(Task)} runs a task in a new goroutine; {@link #await()} waits for every task of
 * the group and then rethrows the <em>first</em> failure, if any. A group made with
 * {@link #withContext(Context)} also owns a derived {@link #context()}, which is cancelled the
 * first time a task fails (its {@link Context#cause() cause} is that failure) or, at the latest,
 * when {@code await()} returns — so tasks that watch it stop early once a sibling has failed.
 *
 * {@snippet :
 * ErrGroup g = ErrGroup.withContext(ctx);
 * for (String url : urls) {
 *     g.go(() -> fetch(g.context(), url));   // a failure cancels g.context() for the others
 * }
 * g.await();                                  // rethrows the first failure
 * }
 *
 * <h2>Failures</h2>
 * Whatever a task throws is a failure: a checked exception, an unchecked one, an error. (In Go a
 * task returns an error, and errgroup re-raises a panic in Wait; Java has only exceptions, so
 * both are one thing here.) A failing task does not print a panic: the group owns the failure.
 * {@code await()} throws the first failure as it is when it is unchecked, else wrapped in a
 * {@link RuntimeException} whose cause it is. Later failures are dropped, as in Go.
 *
 * <h2>Limit</h2>
 * {@link #setLimit(int)} bounds the number of the group's goroutines running at once: past the
 * limit {@code go} blocks until one of them ends, and {@link #tryGo(Task)} returns false instead.
 * A negative limit means no limit. Changing the limit while goroutines of the group are active
 * throws {@code IllegalStateException("errgroup: modify limit while N goroutines in the group
 * are still active")}, Go's panic. A limit of zero makes {@code go} block forever, as in Go.
 *
 * <h2>Where the goroutines run</h2>
 * In the caller's runtime when the caller is a goroutine, else in the global runtime (the rule of
 * {@link WaitGroup#go(Task)}, which this class uses).
 *
 * <h2>Blocking and interruption</h2>
 * {@code await()} blocks as {@code [sync.WaitGroup.Wait]}; {@code go} blocked by the limit as
 * {@code [chan send]}. An interrupt ends either with {@link GoInterruptedException} (flag kept).
 *
 * <h2>Memory consistency effects</h2>
 * Actions in a task happen-before {@code await()} returns or throws (through the group's
 * WaitGroup); actions before {@code go(task)} happen-before the task starts.
 */
public final class ErrGroup {
    /* Implementation notes
     *
     * Overview
     *   Go's layout: a WaitGroup counts the goroutines; an optional buffered channel `sem`
     *   (capacity = limit) holds one token per running goroutine; the first failure is kept once
     *   and cancels the derived context.
     *
     * Lineage
     *   golang.org/x/sync errgroup/errgroup.go (Group, WithContext, Go, TryGo, SetLimit, Wait;
     *   done() releases the token before wg.Done). Deviations: a task's exception of any kind is
     *   a failure (Go: an error return is, a panic is re-raised by Wait); the group without a
     *   context reports Context.background() from context().
     *
     * Invariants
     *   I1 failure goes null -> non-null once (CAS) and never changes after.
     *   I2 sem.len() == the number of the group's goroutines started under the current limit
     *      that have not finished (token taken before the goroutine starts, given back as its
     *      last act before wg.done()).
     *
     * Ownership & locking
     *   No lock. failure: CAS by failing tasks, read by await. sem: replaced only by setLimit,
     *   which Go documents must not race with go/tryGo (checked best-effort via len).
     *
     * Memory ordering
     *   failure is volatile (CAS publishes it); await() reads it after wg.await(), whose
     *   happens-before edge (task's done() -> await's return) already orders it.
     *   sem is volatile: setLimit's write pairs with the read in go/tryGo/done.
     *
     * Rejected alternatives
     *   java.util.concurrent.Semaphore for the limit: its waiters park as "waiting" (unknown to
     *   goloom's dumps and deadlock detection); a buffered channel is Go's own choice.
     *   StructuredTaskScope: preview API, thread-confined, and not Go's model.
     */

    private static final Object TOKEN = new Object();

    private final WaitGroup wg = new WaitGroup();
    /** the derived context (withContext only), cancelled on the first failure and by await. */
    private final CancelContext cancel;
    /** the limit's tokens, or null for no limit (keeps I2). */
    private volatile Chan<Object> sem;
    /** the first failure (I1), as await throws it: an Error as is, anything else unchecked (Failures.wrap). */
    private volatile Throwable failure;

    private static final VarHandle FAILURE;

    static {
        try {
            FAILURE = MethodHandles.lookup()
                    .findVarHandle(ErrGroup.class, "failure", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A group with no context and no limit: Go's zero {@code errgroup.Group}. */
    public ErrGroup() {
        this.cancel = null;
    }

    private ErrGroup(CancelContext cancel) {
        this.cancel = cancel;
    }

    /**
     * A group whose {@link #context()} derives from {@code parent} and is cancelled the first
     * time a task fails or when {@link #await()} returns, whichever comes first: Go's
     * {@code errgroup.WithContext}.
     */
    public static ErrGroup withContext(Context parent) {
        Objects.requireNonNull(parent, "errgroup: withContext(null)");
        return new ErrGroup(Context.withCancel(parent));
    }

    /**
     * The group's context: the derived one for {@link #withContext(Context)}, else
     * {@link Context#background()}.
     */
    public Context context() {
        return cancel != null ? cancel : Context.background();
    }

    /**
     * Runs {@code task} in a new goroutine. With a limit, blocks first until the number of the
     * group's running goroutines is below it. The first task to fail cancels the group's
     * context; {@link #await()} rethrows that failure.
     *
     * @throws GoInterruptedException if interrupted while blocked by the limit (nothing started)
     */
    public void go(Task task) {
        Objects.requireNonNull(task, "errgroup: go(null)");
        Chan<Object> s = sem;
        if (s != null) {
            s.send(TOKEN);                 // blocks at the limit (keeps I2)
        }
        start(task, s);
    }

    /**
     * Runs {@code task} in a new goroutine only if the limit allows it now; returns whether it
     * did. Without a limit it always starts the task. Go's {@code TryGo}.
     */
    public boolean tryGo(Task task) {
        Objects.requireNonNull(task, "errgroup: tryGo(null)");
        Chan<Object> s = sem;
        if (s != null && !s.trySend(TOKEN)) {
            return false;
        }
        start(task, s);
        return true;
    }

    private void start(Task task, Chan<Object> s) {
        try {
            wg.go(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    fail(t);
                } finally {
                    if (s != null) {
                        s.recv();          // give the token back before wg.done() (I2)
                    }
                }
            });
        } catch (RuntimeException | Error e) {
            if (s != null) {
                s.tryRecv();               // the goroutine never started: return its token
            }
            throw e;
        }
    }

    private void fail(Throwable t) {
        Throwable f = t instanceof Error ? t : Failures.wrap(t);
        if (FAILURE.compareAndSet(this, null, f) && cancel != null) {   // keeps I1
            cancel.cancel(Failures.wrap(f));
        }
    }

    /**
     * Limits the number of the group's goroutines running at once to {@code n}; a negative
     * {@code n} removes the limit. Go's {@code SetLimit}.
     *
     * @throws IllegalStateException "errgroup: modify limit while N goroutines in the group are
     *         still active" if goroutines started under the current limit are still running
     */
    public void setLimit(int n) {
        if (n < 0) {
            sem = null;
            return;
        }
        Chan<Object> s = sem;
        if (s != null && s.len() != 0) {
            throw new IllegalStateException("errgroup: modify limit while " + s.len()
                    + " goroutines in the group are still active");
        }
        sem = Chan.make(n);
    }

    /**
     * Blocks until every task started with {@link #go} or {@link #tryGo} has finished, cancels
     * the group's context, and then rethrows the first failure, if any: Go's {@code Wait}.
     *
     * @throws RuntimeException the first failure (itself if unchecked, else wrapping it)
     * @throws Error the first failure, if it was an error
     * @throws GoInterruptedException if interrupted while waiting (the context is not cancelled)
     */
    public void await() {
        wg.await();
        if (cancel != null) {
            cancel.cancel();               // a no-op after a failure: fail() cancelled with its cause first
        }
        Throwable f = failure;
        if (f != null) {
            throw Failures.rethrow(f);
        }
    }

    @Override
    public String toString() {
        Chan<Object> s = sem;
        return "ErrGroup[" + (s == null ? "no limit" : "limit=" + s.cap() + ", active=" + s.len())
                + (failure != null ? ", failed: " + failure : "") + "]";
    }
}
