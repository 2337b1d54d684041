package dev.goloom.x;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.Task;
import dev.goloom.context.Context;
import dev.goloom.internal.sched.Sched;
import dev.goloom.sync.WaitGroup;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The pipeline stages of Go's "Pipelines and cancellation" (go.dev/blog/pipelines): each stage
 * is a goroutine (or a few) that receives from an input channel, does its work, and sends to an
 * output channel it owns.
 *
 * {@snippet :
 * try (CancelContext ctx = Context.withCancel(Context.background())) {
 *     RecvChan<Integer> squares = Pipelines.map(ctx, Pipelines.generate(ctx, List.of(2, 3, 4)), n -> n * n);
 *     for (int sq : squares) {
 *         System.out.println(sq);                 // 4 9 16
 *     }
 * }                                               // close() cancels: every stage ends
 * }
 *
 * <h2>Closing and cancellation</h2>
 * Every stage closes its output channel when its input is closed and drained, or when
 * {@code ctx} ends — whichever comes first — and its goroutines then end. A stage blocked on a
 * send selects on {@code ctx.done()} as well, so a consumer that stops reading need only cancel
 * the context: no goroutine of the pipeline is left behind (Go's rule: "stages close their
 * outbound channels when all the send operations are done; stages keep receiving values from
 * inbound channels until those channels are closed or the senders are unblocked"). After a
 * cancellation, values already in flight are dropped.
 *
 * <h2>Where the goroutines run</h2>
 * In the caller's runtime when the caller is a goroutine, else in the global runtime (the rule of
 * {@link WaitGroup#go(Task)}, which starts them).
 *
 * <h2>Failures</h2>
 * If a stage's function throws, that stage's goroutine panics (the exception is printed as Go
 * prints a panic) and the stage's output is closed; other stages go on until their input closes
 * or ctx ends. Use {@link ErrGroup} when failures must stop the whole pipeline.
 *
 * <h2>Memory consistency effects</h2>
 * Those of channels: the actions of a stage before it sends a value happen-before the receive of
 * that value downstream.
 */
public final class Pipelines {
    /* Implementation notes
     *
     * Overview
     *   Each stage: make an unbuffered output channel, start its goroutine(s), return the
     *   channel. Every receive and every send is a two-case select with ctx.done(), so a stage
     *   never blocks where cancellation cannot reach it. Multi-goroutine stages (merge, fanOut)
     *   count their live workers; the last to finish closes the output (Go's blog starts a
     *   separate goroutine that waits on a WaitGroup and closes; the counter saves it).
     *
     * Lineage
     *   go.dev/blog/pipelines (gen, sq, merge with done channels), Go's "Go Concurrency
     *   Patterns: Context". Deviation: the closer goroutine replaced by a countdown (above).
     *
     * Invariants
     *   I1 an output channel is closed exactly once, by the last live goroutine of its stage,
     *      in a finally block (so also when a stage function throws).
     *   I2 no stage goroutine blocks except in a select that includes ctx.done() or on its
     *      input's close.
     *
     * Ownership & locking
     *   A stage's goroutines are the only senders on its output (they own it: Go's rule that
     *   only the sender closes). No locks; the workers' counter is an AtomicInteger.
     *
     * Memory ordering
     *   Channels only; the counter's decrementAndGet orders each worker's last send before the
     *   close by the last worker (each send completed before its worker's decrement).
     *
     * Rejected alternatives
     *   Buffered outputs: would hide back-pressure and change the blog's semantics; a caller
     *   that wants a buffer can add a stage.
     */

    private Pipelines() {
    }

    /** A sentinel for "ctx ended" from a receive; never a value of any pipeline. */
    private static final Object DONE = new Object();

    /**
     * A channel that yields {@code items} in order, then closes: Go's {@code gen}.
     */
    public static <T> RecvChan<T> generate(Context ctx, List<T> items) {
        Objects.requireNonNull(ctx, "pipelines: null context");
        List<T> copy = List.copyOf(items);
        Chan<T> out = Chan.make();
        go(() -> {
            try {
                for (T item : copy) {
                    if (!send(ctx, out, item)) {
                        return;
                    }
                }
            } finally {
                out.close();               // keeps I1
            }
        });
        return out;
    }

    /** A channel of {@code f} applied to each value of {@code in}, in order: Go's {@code sq}. */
    public static <A, B> RecvChan<B> map(Context ctx, RecvChan<A> in, Function<A, B> f) {
        Objects.requireNonNull(f, "pipelines: map with a null function");
        return fanOut(ctx, in, 1, f);      // one worker: order kept
    }

    /** A channel of the values of {@code in} that satisfy {@code p}, in order. */
    public static <T> RecvChan<T> filter(Context ctx, RecvChan<T> in, Predicate<T> p) {
        Objects.requireNonNull(ctx, "pipelines: null context");
        Objects.requireNonNull(in, "pipelines: null input");
        Objects.requireNonNull(p, "pipelines: filter with a null predicate");
        Chan<T> out = Chan.make();
        go(() -> {
            try {
                for (;;) {
                    Object v = recv(ctx, in);
                    if (v == DONE || (p.test(cast(v)) && !send(ctx, out, cast(v)))) {
                        return;
                    }
                }
            } finally {
                out.close();
            }
        });
        return out;
    }

    /**
     * Fan-in: one channel with the values of all {@code ins}, closed when all of them are closed
     * (or ctx ends). Values of one input keep their order; inputs interleave. Go's {@code merge}.
     */
    @SafeVarargs
    public static <T> RecvChan<T> merge(Context ctx, RecvChan<T>... ins) {
        Objects.requireNonNull(ctx, "pipelines: null context");
        Chan<T> out = Chan.make();
        if (ins.length == 0) {
            out.close();
            return out;
        }
        AtomicInteger live = new AtomicInteger(ins.length);
        for (RecvChan<T> in : ins) {
            Objects.requireNonNull(in, "pipelines: null input");
            go(() -> {
                try {
                    forward(ctx, in, out, Function.identity());
                } finally {
                    if (live.decrementAndGet() == 0) {
                        out.close();       // the last forwarder closes (I1)
                    }
                }
            });
        }
        return out;
    }

    /**
     * Fan-out: {@code workers} goroutines each receive from {@code in} and send {@code f} of
     * each value to one output channel, closed when all workers have finished. The output order
     * is not the input order.
     *
     * @throws IllegalArgumentException if workers is less than 1
     */
    public static <A, B> RecvChan<B> fanOut(Context ctx, RecvChan<A> in, int workers, Function<A, B> f) {
        Objects.requireNonNull(ctx, "pipelines: null context");
        Objects.requireNonNull(in, "pipelines: null input");
        Objects.requireNonNull(f, "pipelines: null function");
        if (workers < 1) {
            throw new IllegalArgumentException("pipelines: fanOut needs at least one worker, got " + workers);
        }
        Chan<B> out = Chan.make();
        AtomicInteger live = new AtomicInteger(workers);
        for (int i = 0; i < workers; i++) {
            go(() -> {
                try {
                    forward(ctx, in, out, f);
                } finally {
                    if (live.decrementAndGet() == 0) {
                        out.close();       // keeps I1
                    }
                }
            });
        }
        return out;
    }

    /** Receives from in and sends f(v) to out until in closes or ctx ends. */
    private static <A, B> void forward(Context ctx, RecvChan<A> in, Chan<B> out, Function<A, B> f) {
        for (;;) {
            Object v = recv(ctx, in);
            if (v == DONE || !send(ctx, out, f.apply(cast(v)))) {
                return;
            }
        }
    }

    /** The next value of {@code in}, or DONE once it is closed or ctx ended (keeps I2). */
    private static Object recv(Context ctx, RecvChan<?> in) {
        Object[] got = {DONE};
        Select.select(
                Select.recvOk(in, (v, ok) -> {
                    if (ok) {
                        got[0] = v;
                    }
                }),
                Select.recv(ctx.done(), v -> { }));
        return got[0];
    }

    /** Sends {@code v} unless ctx ends first; returns whether it sent (keeps I2). */
    private static <T> boolean send(Context ctx, Chan<T> out, T v) {
        return Select.select(Select.send(out, v, null), Select.recv(ctx.done(), x -> { })) == 0;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object v) {
        return (T) v;
    }

    /** Starts a stage goroutine in the caller's runtime, else the global one (as WaitGroup.go). */
    private static void go(Task body) {
        Sched.goHere(null, body);
    }
}
