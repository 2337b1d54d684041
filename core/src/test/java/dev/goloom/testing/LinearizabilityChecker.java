package dev.goloom.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A small stress-based linearizability checker that, unlike lincheck, accepts "still blocked" as
 * an outcome: for blocking operations (a receive on an empty channel, a lock held by a goroutine
 * that never unlocks) driven from plain threads.
 *
 * <h2>How it works</h2>
 * For each of many random scenarios ({@code threads} × {@code opsPerThread} operations drawn
 * from the registered ones with the test's {@link Seeds seed}):
 * <ol>
 * <li>run them on fresh platform threads started together against a fresh structure, recording
 *     for each operation an invocation stamp, a response stamp and its result (a thrown
 *     exception's class counts as the result);</li>
 * <li>wait until every thread is done, or until no operation has completed for
 *     {@code quiet} (the remaining ones are <em>pending</em>: blocked); interrupt the threads of
 *     pending operations — goloom's blocking calls then throw {@code GoInterruptedException} and,
 *     as documented, did not happen;</li>
 * <li>search (Wing &amp; Gong, with Lowe's memo of (linearized set, state)) for an order of the
 *     completed operations that respects real time and that the sequential specification
 *     reproduces result for result, and in whose final state every pending operation would
 *     still block (a pending operation the specification could complete is a lost wake-up).</li>
 * </ol>
 * A failure prints the history and the seed. The specification is a mutable model with value
 * equality (a record holding immutable lists, say) copied by {@code copy}; an operation's model
 * returns {@link #BLOCKS} when it could not proceed in that state.
 *
 * {@snippet :
 * LinearizabilityChecker.of(() -> Chan.<Integer>make(1), Model::new, Model::copy)
 *     .op("send", r -> r.nextInt(3), (ch, x) -> { ch.send((Integer) x); return null; },
 *                                   (m, x) -> m.full() ? BLOCKS : m.add((Integer) x))
 *     .op("recv", r -> null, (ch, x) -> ch.recv(), (m, x) -> m.empty() ? BLOCKS : m.take())
 *     .check(3, 3, 200);
 * }
 *
 * @param <T> the structure under test
 * @param <S> its sequential model
 */
public final class LinearizabilityChecker<T, S> {
    /** What a model returns for an operation that cannot proceed in the model's state. */
    public static final Object BLOCKS = new Object() {
        @Override
        public String toString() {
            return "<blocks>";
        }
    };

    /**
     * What a {@link #choiceOp choice operation}'s model returns when the observed result is not
     * one the operation could have had in the model's state.
     */
    public static final Object REJECTED = new Object() {
        @Override
        public String toString() {
            return "<rejected>";
        }
    };

    /** What a choice operation's model is asked about a pending operation: could it complete? */
    public static final Object PENDING = new Object() {
        @Override
        public String toString() {
            return "<pending>";
        }
    };

    /** A model step that also sees the observed result (for operations with several right answers). */
    @FunctionalInterface
    public interface Choice<S> {
        /**
         * Applies the operation to {@code state} as it happened with result {@code observed}
         * ({@link #PENDING} for one still blocked at the end); returns {@link #BLOCKS} if it could
         * not proceed in {@code state}, {@link #REJECTED} if {@code observed} is impossible here,
         * anything else if it is possible (the state then holds its effect).
         */
        Object apply(S state, Object arg, Object observed);
    }

    /**
     * An operation: argument generator (given the random source and the thread's index), the
     * real call, the model's step (deterministic: its result must equal the real one), or a
     * choice step (non-deterministic: it judges the real result).
     */
    private record Op<T, S>(String name, BiFunction<SplittableRandom, Integer, Object> arg,
                            BiFunction<T, Object, Object> run, BiFunction<S, Object, Object> model,
                            Choice<S> choice) {
        /** Whether this operation, observed with {@code result}, can be applied to {@code state}. */
        boolean step(S state, Object argument, Object result) {
            if (choice != null) {
                Object r = choice.apply(state, argument, result);
                return r != BLOCKS && r != REJECTED;
            }
            Object r = model.apply(state, argument);
            return r != BLOCKS && Objects.equals(r, result);
        }

        /** Whether this operation could complete in {@code state} (for a pending one: a lost wake-up). */
        boolean couldComplete(S state, Object argument) {
            if (choice != null) {
                return choice.apply(state, argument, PENDING) != BLOCKS;
            }
            return model.apply(state, argument) != BLOCKS;
        }
    }

    /** One operation in a history; {@code resp == Long.MAX_VALUE} while pending. */
    private static final class Event {
        final int thread;
        final Op<?, ?> op;
        final Object arg;
        volatile long inv;
        volatile long resp = Long.MAX_VALUE;
        volatile Object result;

        Event(int thread, Op<?, ?> op, Object arg) {
            this.thread = thread;
            this.op = op;
            this.arg = arg;
        }

        @Override
        public String toString() {
            return "T" + thread + " " + op.name + "(" + (arg == null ? "" : arg) + ") "
                    + (resp == Long.MAX_VALUE ? "<pending>" : "= " + result)
                    + " [" + inv + ", " + (resp == Long.MAX_VALUE ? "-" : resp) + "]";
        }
    }

    private final Supplier<T> newImpl;
    private final Supplier<S> newModel;
    private final UnaryOperator<S> copy;
    private final List<Op<T, S>> ops = new ArrayList<>();
    private long quietNanos = TimeUnit.MILLISECONDS.toNanos(100);
    private java.util.function.Consumer<T> unblock;

    private LinearizabilityChecker(Supplier<T> newImpl, Supplier<S> newModel, UnaryOperator<S> copy) {
        this.newImpl = newImpl;
        this.newModel = newModel;
        this.copy = copy;
    }

    /** A checker of structures from {@code newImpl} against models from {@code newModel}. */
    public static <T, S> LinearizabilityChecker<T, S> of(Supplier<T> newImpl, Supplier<S> newModel,
                                                         UnaryOperator<S> copy) {
        return new LinearizabilityChecker<>(newImpl, newModel, copy);
    }

    /** Registers an operation (argument generator, real call, model step returning {@link #BLOCKS} or the result). */
    public LinearizabilityChecker<T, S> op(String name, Function<SplittableRandom, Object> arg,
                                           BiFunction<T, Object, Object> run, BiFunction<S, Object, Object> model) {
        ops.add(new Op<>(name, (r, t) -> arg.apply(r), run, model, null));
        return this;
    }

    /**
     * Registers an operation whose argument may depend on the index of the thread that runs it
     * (for per-thread ownership: "unlock what this thread locked"), with a deterministic model.
     */
    public LinearizabilityChecker<T, S> threadOp(String name, BiFunction<SplittableRandom, Integer, Object> arg,
                                                 BiFunction<T, Object, Object> run, BiFunction<S, Object, Object> model) {
        ops.add(new Op<>(name, arg, run, model, null));
        return this;
    }

    /**
     * Registers an operation with several right answers in one state (a select among ready
     * cases picks one at random): the {@link Choice} model judges the observed result.
     */
    public LinearizabilityChecker<T, S> choiceOp(String name, Function<SplittableRandom, Object> arg,
                                                 BiFunction<T, Object, Object> run, Choice<S> model) {
        ops.add(new Op<>(name, (r, t) -> arg.apply(r), run, null, model));
        return this;
    }

    /** A {@link #choiceOp} whose argument may depend on the thread's index (see {@link #threadOp}). */
    public LinearizabilityChecker<T, S> threadChoiceOp(String name, BiFunction<SplittableRandom, Integer, Object> arg,
                                                       BiFunction<T, Object, Object> run, Choice<S> model) {
        ops.add(new Op<>(name, arg, run, null, model));
        return this;
    }

    /**
     * For structures with waits that do not answer interrupts (RWMutex's rLock, a writer waiting
     * for readers): once the scenario's remaining operations count as pending, {@code unblock}
     * is called on the structure repeatedly (from the checker's thread) until every worker
     * thread has ended, e.g. to release every lock the scenario holds. Operations that complete
     * only then still count as pending (as if they had not happened).
     */
    public LinearizabilityChecker<T, S> unblock(java.util.function.Consumer<T> unblock) {
        this.unblock = unblock;
        return this;
    }

    /** How long without any completion before the remaining operations count as blocked (default 100 ms). */
    public LinearizabilityChecker<T, S> quiet(java.time.Duration d) {
        this.quietNanos = d.toNanos();
        return this;
    }

    /**
     * Runs {@code scenarios} (× the stress multiplier) random scenarios of {@code threads} ×
     * {@code opsPerThread} operations; throws AssertionError with the history on the first
     * non-linearizable one. At most 62 operations per scenario.
     */
    public void check(int threads, int opsPerThread, int scenarios) {
        if (threads * opsPerThread > 62) {
            throw new IllegalArgumentException("at most 62 operations per scenario");
        }
        SplittableRandom rnd = Seeds.random();
        int n = Stress.scaled(scenarios);
        for (int s = 0; s < n; s++) {
            List<List<Event>> scenario = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Event> mine = new ArrayList<>();
                for (int i = 0; i < opsPerThread; i++) {
                    Op<T, S> op = ops.get(rnd.nextInt(ops.size()));
                    mine.add(new Event(t, op, op.arg.apply(rnd, t)));
                }
                scenario.add(mine);
            }
            List<Event> history = run(scenario);
            if (!linearizable(history)) {
                StringBuilder sb = new StringBuilder("not linearizable (scenario " + s + ", "
                        + Seeds.describe() + "):\n");
                for (Event e : history) {
                    sb.append("  ").append(e).append('\n');
                }
                throw new AssertionError(sb.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------ running

    @SuppressWarnings("unchecked")
    private List<Event> run(List<List<Event>> scenario) {
        T impl = newImpl.get();
        AtomicLong clock = new AtomicLong();
        int threads = scenario.size();
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean(); // a worker that reads it late is handled by stopStamp
        CountDownLatch done = new CountDownLatch(threads);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            List<Event> mine = scenario.get(t);
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    for (Event e : mine) {
                        if (stop.get()) {
                            return;
                        }
                        e.inv = clock.incrementAndGet();
                        Object r;
                        try {
                            r = ((Op<T, S>) e.op).run.apply(impl, e.arg);
                        } catch (RuntimeException | Error x) {
                            if (Thread.currentThread().isInterrupted()) {
                                return; // interrupted while blocked: did not happen, stays pending
                            }
                            r = x.getClass().getSimpleName();
                        }
                        e.result = r;
                        e.resp = clock.incrementAndGet();
                    }
                } catch (InterruptedException ignored) {
                    // the scenario was abandoned before it started
                } finally {
                    done.countDown();
                }
            }, "lin-T" + t);
            ts[t].setDaemon(true);
            ts[t].start();
        }
        start.countDown();
        long stopStamp;
        try {
            long last = clock.get();
            while (!done.await(quietNanos, TimeUnit.NANOSECONDS)) {
                long now = clock.get();
                if (now == last) {
                    break; // nothing completed for `quiet`: the rest is blocked
                }
                last = now;
            }
            stopStamp = clock.get();
            stop.set(true);
            for (Thread t : ts) {
                t.interrupt();
            }
            if (unblock != null) {
                long deadline = System.nanoTime() + GoTestSupport.LONG_DELAY.toNanos();
                for (Thread t : ts) {
                    while (t.isAlive() && System.nanoTime() < deadline) {
                        unblock.accept(impl);
                        t.join(1);
                    }
                }
            }
            for (Thread t : ts) {
                t.join(GoTestSupport.LONG_DELAY.toMillis());
                if (t.isAlive()) {
                    throw new AssertionError(t.getName() + " ignored interrupt: a blocking call that cannot be interrupted");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        List<Event> history = new ArrayList<>();
        scenario.forEach(history::addAll);
        // an event whose thread was interrupted before it was invoked never happened at all
        // (and one begun after the decision to stop, left pending by the interrupt, neither)
        history.removeIf(e -> e.inv == 0 || (e.resp == Long.MAX_VALUE && e.inv > stopStamp));
        if (unblock != null) {
            // the history is cut at stopStamp: what completed only after it (because unblock
            // released it) was blocked at the cut, and what began after it is not in the history
            for (Event e : history) {
                if (e.resp != Long.MAX_VALUE && e.resp > stopStamp) {
                    e.resp = Long.MAX_VALUE;
                    e.result = null;
                }
            }
            history.removeIf(e -> e.inv > stopStamp);
        }
        history.sort((a, b) -> Long.compare(a.inv, b.inv));
        return history;
    }

    // ------------------------------------------------------------------------------ checking

    private boolean linearizable(List<Event> history) {
        List<Event> completed = new ArrayList<>();
        List<Event> pending = new ArrayList<>();
        for (Event e : history) {
            (e.resp == Long.MAX_VALUE ? pending : completed).add(e);
        }
        Event[] c = completed.toArray(new Event[0]);
        return search(c, 0L, newModel.get(), pending, new HashSet<>());
    }

    private record Memo(long done, Object state) {
    }

    @SuppressWarnings("unchecked")
    private boolean search(Event[] c, long done, S state, List<Event> pending, Set<Memo> seen) {
        if (Long.bitCount(done) == c.length) {
            for (Event p : pending) {
                if (((Op<T, S>) p.op).couldComplete(copy.apply(state), p.arg)) {
                    return false; // it could have completed: a lost wake-up
                }
            }
            return true;
        }
        if (!seen.add(new Memo(done, copy.apply(state)))) {
            return false;
        }
        long minResp = Long.MAX_VALUE;
        for (int i = 0; i < c.length; i++) {
            if ((done & (1L << i)) == 0) {
                minResp = Math.min(minResp, c[i].resp);
            }
        }
        for (int i = 0; i < c.length; i++) {
            if ((done & (1L << i)) != 0 || c[i].inv > minResp) {
                continue; // linearized, or some pending one returned before this one began
            }
            S next = copy.apply(state);
            if (((Op<T, S>) c[i].op).step(next, c[i].arg, c[i].result) && search(c, done | (1L << i), next, pending, seen)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "LinearizabilityChecker" + Arrays.toString(ops.stream().map(Op::name).toArray());
    }
}
