package dev.goloom.context;

import dev.goloom.RecvChan;
import dev.goloom.internal.timer.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A deadline, a cancellation signal and request-scoped values, carried across API boundaries
 * and goroutines: Go's {@code context.Context}.
 *
 * <p>Contexts form a tree. {@link #withCancel}, {@link #withDeadline} and {@link #withTimeout}
 * derive a {@link CancelContext}; cancelling it (or its deadline passing) cancels it and every
 * context derived from it, exactly once each, and closes their {@link #done()} channels. A
 * child's deadline is never later than its parent's. A cancelled child leaves its parent, so a
 * long-lived parent does not grow as children come and go. {@link #withValue} adds a value,
 * {@link #withoutCancel} cuts the cancellation off but keeps the values.
 *
 * <h2>Blocking and cancellation</h2>
 * Nothing here blocks. Wait for cancellation by receiving from {@link #done()}, alone or in a
 * {@link dev.goloom.Select}; {@link #check()} throws {@link #err()} in code that polls.
 * Deadline timers live in goloom's timer heaps; a pending deadline counts as pending work for
 * deadlock detection.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in a thread before it cancels a context happen-before another thread observes
 * {@code done()} closed or {@code err()} non-null on that context or a descendant.
 *
 * {@snippet :
 * try (CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(50))) {
 *     Chan<String> results = search(ctx, "gopher");
 *     Select.select(
 *         Select.recv(results, r -> System.out.println(r)),
 *         Select.recv(ctx.done(), v -> System.out.println(ctx.err().getMessage())));
 * }
 * }
 */
public interface Context {
    /** The root of every context tree: never cancelled, no values, no deadline. Go's {@code context.Background()}. */
    static Context background() {
        return EmptyCtx.BACKGROUND;
    }

    /** As {@link #background()}, marking code not yet given a context. Go's {@code context.TODO()}. */
    static Context todo() {
        return EmptyCtx.TODO;
    }

    /**
     * A child of {@code parent} that is cancelled when its cancel function is called or when
     * {@code parent} is: Go's {@code context.WithCancel}. Cancel it (or close it) when done, to
     * release its place among the parent's children.
     *
     * @throws NullPointerException "cannot create context from nil parent"
     */
    static CancelContext withCancel(Context parent) {
        CancelCtx c = new CancelCtx(CancelCtx.checkParent(parent));
        c.propagateCancel();
        return c;
    }

    /** As {@link #withDeadline}, for {@code Instant.now() + timeout}: Go's {@code context.WithTimeout}. */
    static CancelContext withTimeout(Context parent, Duration timeout) {
        return withTimeoutCause(parent, timeout, null);
    }

    /** As {@link #withTimeout}, with the cause {@link #cause()} reports when the deadline passes (Go 1.21). */
    static CancelContext withTimeoutCause(Context parent, Duration timeout, RuntimeException cause) {
        long nanos = Timers.nanos(timeout);
        Instant d;
        try {
            d = Instant.now().plus(timeout);
        } catch (RuntimeException overflow) {
            d = timeout.isNegative() ? Instant.MIN : Instant.MAX;
        }
        return deadlineCtx(CancelCtx.checkParent(parent), d, nanos, cause);
    }

    /**
     * A child of {@code parent} that is also cancelled, with {@link DeadlineExceededException},
     * once {@code deadline} has passed: Go's {@code context.WithDeadline}. If the parent's
     * deadline is sooner, this is {@link #withCancel} (the child's deadline is the parent's).
     */
    static CancelContext withDeadline(Context parent, Instant deadline) {
        return withDeadlineCause(parent, deadline, null);
    }

    /** As {@link #withDeadline}, with the cause {@link #cause()} reports when it passes (Go 1.21). */
    static CancelContext withDeadlineCause(Context parent, Instant deadline, RuntimeException cause) {
        CancelCtx.checkParent(parent);
        long nanos;
        try {
            nanos = Duration.between(Instant.now(), deadline).toNanos();
        } catch (ArithmeticException overflow) {
            nanos = deadline.isAfter(Instant.now()) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return deadlineCtx(parent, deadline, nanos, cause);
    }

    private static CancelContext deadlineCtx(Context parent, Instant d, long nanos, RuntimeException cause) {
        Optional<Instant> cur = parent.deadline();
        if (cur.isPresent() && cur.get().isBefore(d)) {
            return withCancel(parent);                   // the parent's deadline is sooner
        }
        TimerCtx c = new TimerCtx(parent, d, cause);
        c.propagateCancel();
        c.arm(nanos);
        return c;
    }

    /**
     * A child of {@code parent} carrying {@code value} under {@code key}: Go's
     * {@code context.WithValue}. Use it for request-scoped data, not for optional parameters.
     *
     * @throws NullPointerException for a null parent or key
     */
    static <T> Context withValue(Context parent, Key<T> key, T value) {
        CancelCtx.checkParent(parent);
        if (key == null) {
            throw new NullPointerException("nil key");
        }
        return new ValueCtx(parent, key, value);
    }

    /**
     * A child of {@code parent} that keeps its values but is never cancelled and has no
     * deadline: Go's {@code context.WithoutCancel} (1.21).
     */
    static Context withoutCancel(Context parent) {
        return new WithoutCancelCtx(CancelCtx.checkParent(parent));
    }

    /**
     * Arranges to run {@code f} in its own goroutine once {@code ctx} is done (at once if it
     * already is): Go's {@code context.AfterFunc} (1.21). {@link Stop#stop()} stops that: it
     * returns true if it kept {@code f} from being started. Multiple calls on one context run
     * independently.
     */
    static Stop afterFunc(Context ctx, Runnable f) {
        CancelCtx.checkParent(ctx);
        if (f == null) {
            throw new NullPointerException("context: AfterFunc with a null function");
        }
        AfterFuncCtx a = new AfterFuncCtx(ctx, f);
        a.propagateCancel();
        return a;
    }

    /** The handle {@link #afterFunc} returns: Go's {@code stop func() bool}. */
    interface Stop {
        /** Stops the association; true if it kept f from being started, false if f started or was already stopped. */
        boolean stop();
    }

    /**
     * A channel closed when this context is cancelled or its deadline passes: Go's
     * {@code ctx.Done()}. Never closed for {@link #background()} and contexts that can never be
     * cancelled. Receiving from it, in a select or alone, is how a goroutine waits for
     * cancellation.
     */
    RecvChan<Void> done();

    /**
     * Null while not cancelled; then {@link ContextCanceledException} if cancelled or
     * {@link DeadlineExceededException} if the deadline passed: Go's {@code ctx.Err()}.
     */
    RuntimeException err();

    /**
     * Why the context was cancelled: the cause given to {@link CancelContext#cancel(RuntimeException)}
     * (or to a withDeadline/TimeoutCause), else {@link #err()}; null while not cancelled. Go's
     * {@code context.Cause(ctx)}.
     */
    RuntimeException cause();

    /** When this context will be cancelled by its deadline, if it has one: Go's {@code ctx.Deadline()}. */
    Optional<Instant> deadline();

    /** The value for {@code key}, searching up the chain; null if absent: Go's {@code ctx.Value(key)}. */
    <T> T value(Key<T> key);

    /** Throws {@link #err()} if this context is cancelled, else returns. */
    void check();

    /**
     * A context key. Keys are equal when their names are, so give each key a name nobody else
     * uses (a package-qualified one), and keep it in a constant.
     *
     * @param name the key's name, used by equality and by {@code toString()}
     * @param <T> the type of the values stored under it
     */
    record Key<T>(String name) {
    }
}
