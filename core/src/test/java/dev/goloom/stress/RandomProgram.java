package dev.goloom.stress;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.Recv;
import dev.goloom.Select;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import dev.goloom.time.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A randomised concurrent program for stress and soak: goroutines, channels, select, timers,
 * mutexes and cancellation, generated from a seed and checked for conservation.
 *
 * <h2>The program</h2>
 * {@link #generate(long, Size)} draws, from the seed alone, a <em>plan</em>: channels of
 * capacity 0, 1 or 4; producers, each with a list of steps; consumers, each draining one channel
 * (a {@code for} range) or a subset of them (a select loop that sets a closed channel's case to
 * Go's nil channel); and a cancellation of the program's context after a drawn number of receipts. {@link #run(GoRuntime)} runs the plan on a runtime; only the interleaving is not
 * reproducible, every random choice is (the steps, their channels, their arguments).
 *
 * <p>Producer steps ({@link Step}): a blocking send; a {@code trySend}; a select send to one of
 * two channels; a select send racing a timer ({@code Select.after}, {@code Time.after}); a select
 * send racing cancellation (the program's {@code Context.withCancel}) or a child context's 1 ms
 * timeout; an increment of a mutex-guarded counter; a nested goroutine doing the increment
 * (joined through a WaitGroup); a {@code gosched}; a timer stopped at once (no stale value after
 * {@code stop()}, Go 1.23); an {@code afterFunc} racing its {@code stop()} (f runs if and only if
 * stop returned false); a short {@code Time.sleep}. The {@code dev.goloom.x} patterns join the
 * list as that package lands.
 *
 * <h2>Conservation checks</h2>
 * <ol>
 * <li>every value a send reported as sent is received exactly once, and nothing else is;</li>
 * <li>the mutex-guarded counter (a plain {@code long}) equals the number of increments;</li>
 * <li>every goroutine the program started has ended when {@code main} returns (the runtime's
 *     goroutine count comes back to where it was);</li>
 * <li>the program ends (no deadlock: the runtime's {@code main} would throw
 *     {@code DeadlockError}; a hang is caught by the test's timeout and dump).</li>
 * </ol>
 * A failure throws AssertionError naming the seed and the plan; the test replays it with
 * {@code -Dgoloom.seed=N}.
 */
public final class RandomProgram {
    /** How big a program to draw. */
    public record Size(int channels, int producers, int consumers, int stepsPerProducer) {
        public static Size small() {
            return new Size(3, 3, 2, 50);
        }

        public static Size medium() {
            return new Size(6, 8, 5, 400);
        }

        public Size scaled(int k) {
            return new Size(channels, producers, consumers, stepsPerProducer * k);
        }
    }

    /** A producer step. */
    public enum Step {
        SEND, TRY_SEND, SELECT_SEND_TWO, SELECT_SEND_TIMER, SELECT_SEND_CANCEL, LOCKED_INC,
        GO_LOCKED_INC, GOSCHED,
        /** select send racing a child context with a 1 ms timeout (Context.withTimeout). */
        SELECT_SEND_CTX_TIMEOUT,
        /** select send racing Time.after(1 ms). */
        SELECT_SEND_TIME_AFTER,
        /** Time.newTimer then stop: after stop returns, no stale value may be received (Go 1.23). */
        TIMER_STOP,
        /** Time.afterFunc(locked increment) then a racing stop: f runs if and only if stop returned false. */
        AFTER_FUNC_STOP,
        /** Time.sleep of 0-50 µs. */
        SLEEP
    }

    /** A producer's drawn steps: step kinds and the channel indices they use. */
    record ProducerPlan(Step[] steps, int[] chanA, int[] chanB) {
    }

    /** A consumer's drawn role: the channels it drains (one: a range loop; more: a select loop). */
    record ConsumerPlan(int[] chans) {
    }

    /** What a run did, for logs (all counts). */
    public record Report(long sent, long received, long lockedIncs, long timeouts, long cancelled,
                         long trySendMisses, long goroutines) {
    }

    private static final Duration TIMER = Duration.ofMillis(1);

    private final long seed;
    private final Size size;
    private final int[] capacities;
    private final ProducerPlan[] producers;
    private final ConsumerPlan[] consumers;
    private final long cancelAfter;   // receipts before the canceller closes done; -1: never

    private RandomProgram(long seed, Size size, int[] capacities, ProducerPlan[] producers,
                          ConsumerPlan[] consumers, long cancelAfter) {
        this.seed = seed;
        this.size = size;
        this.capacities = capacities;
        this.producers = producers;
        this.consumers = consumers;
        this.cancelAfter = cancelAfter;
    }

    /** Draws a program from {@code seed}: the same seed and size give the same plan. */
    public static RandomProgram generate(long seed, Size size) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] caps = new int[size.channels()];
        for (int i = 0; i < caps.length; i++) {
            caps[i] = new int[] {0, 1, 4}[r.nextInt(3)];
        }
        Step[] kinds = Step.values();
        ProducerPlan[] ps = new ProducerPlan[size.producers()];
        for (int p = 0; p < ps.length; p++) {
            int n = size.stepsPerProducer();
            Step[] steps = new Step[n];
            int[] a = new int[n];
            int[] b = new int[n];
            for (int i = 0; i < n; i++) {
                steps[i] = kinds[r.nextInt(kinds.length)];
                a[i] = r.nextInt(caps.length);
                b[i] = r.nextInt(caps.length);
            }
            ps[p] = new ProducerPlan(steps, a, b);
        }
        // every channel gets at least one consumer (else its senders would wait forever)
        List<List<Integer>> owned = new ArrayList<>();
        int nc = Math.max(1, size.consumers());
        for (int c = 0; c < nc; c++) {
            owned.add(new ArrayList<>());
        }
        for (int ch = 0; ch < caps.length; ch++) {
            owned.get(r.nextInt(nc)).add(ch);
            if (r.nextInt(3) == 0) {
                owned.get(r.nextInt(nc)).add(ch); // sometimes two consumers share a channel
            }
        }
        List<ConsumerPlan> cs = new ArrayList<>();
        for (List<Integer> l : owned) {
            if (!l.isEmpty()) {
                cs.add(new ConsumerPlan(l.stream().distinct().mapToInt(Integer::intValue).toArray()));
            }
        }
        long total = (long) size.producers() * size.stepsPerProducer();
        long cancelAfter = r.nextInt(4) == 0 ? -1 : r.nextLong(Math.max(1, total / 2));
        return new RandomProgram(seed, size, caps, ps, cs.toArray(new ConsumerPlan[0]), cancelAfter);
    }

    public long seed() {
        return seed;
    }

    // ------------------------------------------------------------------------------ running

    /** The shared state of one run. */
    private final class World {
        final List<Chan<Long>> chans = new ArrayList<>();
        final CancelContext ctx = Context.withCancel(Context.background());
        final AtomicBoolean cancelled = new AtomicBoolean();
        final ConcurrentHashMap<Long, Boolean> sent = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Long, Integer> received = new ConcurrentHashMap<>();
        final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong receipts = new AtomicLong();
        final Mutex mu = new Mutex();
        long guarded;                       // guarded by mu: plain on purpose
        final LongAdder incs = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final LongAdder cancels = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder goroutines = new LongAdder();
        final LongAdder stoppedFuncs = new LongAdder();

        World() {
            for (int c : capacities) {
                chans.add(Chan.make(c));
            }
        }

        void received(Long v) {
            if (received.merge(v, 1, Integer::sum) > 1) {
                errors.add("value " + Long.toHexString(v) + " received twice");
            }
            if (receipts.incrementAndGet() == cancelAfter) {
                cancel();
            }
        }

        void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                ctx.cancel(); // closes ctx.done(): the select-with-cancel producers stop
            }
        }

        void lockedInc() {
            mu.lock();
            try {
                guarded++;
            } finally {
                mu.unlock();
            }
            incs.increment();
        }
    }

    /**
     * Runs the program as {@code rt}'s main goroutine and checks conservation; throws
     * AssertionError (naming the seed) on any violation.
     */
    public Report run(GoRuntime rt) {
        int before = rt.numGoroutine();
        World w = new World();
        rt.main(() -> {
            WaitGroup producersDone = new WaitGroup();
            WaitGroup consumersDone = new WaitGroup();
            for (int p = 0; p < producers.length; p++) {
                int id = p;
                producersDone.add(1);
                count(w);
                rt.go("producer-" + p, () -> {
                    try {
                        produce(rt, w, id);
                    } finally {
                        producersDone.done();
                    }
                });
            }
            for (int c = 0; c < consumers.length; c++) {
                ConsumerPlan plan = consumers[c];
                consumersDone.add(1);
                count(w);
                rt.go("consumer-" + c, () -> {
                    try {
                        consume(w, plan);
                    } finally {
                        consumersDone.done();
                    }
                });
            }
            producersDone.await();
            for (Chan<Long> ch : w.chans) {
                ch.close(); // every producer is done: the consumers drain and end
            }
            consumersDone.await();
            w.cancel(); // idempotent: done closes once even if the canceller never fired
        });
        check(w, rt, before);
        return new Report(w.sent.size(), w.receipts.get(), w.incs.sum(), w.timeouts.sum(),
                w.cancels.sum(), w.misses.sum(), w.goroutines.sum());
    }

    private static void count(World w) {
        w.goroutines.increment();
    }

    private void produce(GoRuntime rt, World w, int id) {
        ProducerPlan plan = producers[id];
        WaitGroup nested = new WaitGroup();
        long seq = 0;
        try {
            for (int i = 0; i < plan.steps().length; i++) {
                long v = ((long) id << 32) | seq++;
                Chan<Long> a = w.chans.get(plan.chanA()[i]);
                Chan<Long> b = w.chans.get(plan.chanB()[i]);
                switch (plan.steps()[i]) {
                    case SEND -> {
                        a.send(v);
                        sent(w, v);
                    }
                    case TRY_SEND -> {
                        if (a.trySend(v)) {
                            sent(w, v);
                        } else {
                            w.misses.increment();
                        }
                    }
                    case SELECT_SEND_TWO -> Select.select(
                            Select.send(a, v, () -> sent(w, v)),
                            Select.send(b, v, () -> sent(w, v)));
                    case SELECT_SEND_TIMER -> Select.select(
                            Select.send(a, v, () -> sent(w, v)),
                            Select.after(TIMER, w.timeouts::increment));
                    case SELECT_SEND_CANCEL -> {
                        boolean[] stop = new boolean[1];
                        Select.select(
                                Select.send(a, v, () -> sent(w, v)),
                                Select.recv(w.ctx.done(), x -> stop[0] = true));
                        if (stop[0]) {
                            w.cancels.increment();
                            return; // cancelled: this producer's remaining steps never happen
                        }
                    }
                    case LOCKED_INC -> w.lockedInc();
                    case GO_LOCKED_INC -> {
                        count(w);
                        nested.go(w::lockedInc);
                    }
                    case GOSCHED -> dev.goloom.Go.gosched();
                    case SELECT_SEND_CTX_TIMEOUT -> {
                        try (CancelContext c = Context.withTimeout(w.ctx, TIMER)) {
                            Select.select(
                                    Select.send(a, v, () -> sent(w, v)),
                                    Select.recv(c.done(), x -> w.timeouts.increment()));
                        }
                    }
                    case SELECT_SEND_TIME_AFTER -> Select.select(
                            Select.send(a, v, () -> sent(w, v)),
                            Select.recv(Time.after(TIMER), x -> w.timeouts.increment()));
                    case TIMER_STOP -> {
                        Timer tm = Time.newTimer(Duration.ofNanos(v & 0xffff)); // 0-65 µs: races the stop
                        tm.stop();
                        if (tm.c().tryRecv() != null) {
                            w.errors.add("timer: a value was received after stop() returned (Go 1.23: none)");
                        }
                    }
                    case AFTER_FUNC_STOP -> {
                        count(w);
                        nested.add(1);
                        java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(); // 0, 1 ran, 2 stopped
                        Timer tm = Time.afterFunc(Duration.ofNanos(v & 0xffff), () -> {
                            if (state.compareAndSet(0, 1)) {
                                w.lockedInc();
                                nested.done();
                            } else {
                                w.errors.add("afterFunc: f ran although stop() had returned true");
                            }
                        });
                        if (tm.stop()) { // true: f will never run
                            if (state.compareAndSet(0, 2)) {
                                nested.done();
                                w.stoppedFuncs.increment();
                            } else {
                                w.errors.add("afterFunc: stop() returned true although f had started");
                            }
                        }
                    }
                    case SLEEP -> Time.sleep(Duration.ofNanos((v & 0xff) * 200));
                }
            }
        } finally {
            nested.await(); // a producer ends only after its nested goroutines
        }
    }

    private static void sent(World w, long v) {
        if (w.sent.put(v, Boolean.TRUE) != null) {
            w.errors.add("value " + Long.toHexString(v) + " reported sent twice");
        }
    }

    private void consume(World w, ConsumerPlan plan) {
        if (plan.chans().length == 1) {
            for (Long v : w.chans.get(plan.chans()[0])) {
                w.received(v);
            }
            return;
        }
        // Go's idiom: a select loop that nils out each channel once it is closed
        List<Chan<Long>> live = new ArrayList<>();
        for (int c : plan.chans()) {
            live.add(w.chans.get(c));
        }
        int open = live.size();
        while (open > 0) {
            List<Select.Case> cases = new ArrayList<>(live.size());
            int[] closedIndex = {-1};
            for (int i = 0; i < live.size(); i++) {
                int idx = i;
                cases.add(Select.recvOk(live.get(i), (Long v, Boolean ok) -> {
                    if (ok) {
                        w.received(v);
                    } else {
                        closedIndex[0] = idx;
                    }
                }));
            }
            Select.select(cases);
            if (closedIndex[0] >= 0) {
                live.set(closedIndex[0], null); // a nil channel: never ready again
                open--;
            }
        }
    }

    private void check(World w, GoRuntime rt, int before) {
        List<String> errors = new ArrayList<>(w.errors);
        for (Long v : w.sent.keySet()) {
            if (!w.received.containsKey(v)) {
                errors.add("value " + Long.toHexString(v) + " sent but never received");
            }
        }
        for (Long v : w.received.keySet()) {
            if (!w.sent.containsKey(v)) {
                errors.add("value " + Long.toHexString(v) + " received but never reported sent");
            }
        }
        if (w.guarded != w.incs.sum()) {
            errors.add("mutex-guarded counter " + w.guarded + " != increments " + w.incs.sum());
        }
        if (!dev.goloom.testing.GoTestSupport.awaitCondition(
                dev.goloom.testing.GoTestSupport.LONG_DELAY, () -> rt.numGoroutine() <= before)) {
            errors.add("goroutines left: " + rt.numGoroutine() + " (before: " + before + ")\n" + rt.dump());
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("RandomProgram seed " + seed + " (replay with -Dgoloom.seed=" + seed
                    + ") on " + rt + ": " + errors.size() + " violation(s):\n  "
                    + String.join("\n  ", errors.subList(0, Math.min(errors.size(), 20)))
                    + "\nplan: " + this);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RandomProgram[seed=" + seed + ", " + size
                + ", capacities=" + Arrays.toString(capacities) + ", cancelAfter=" + cancelAfter + "]");
        for (int c = 0; c < consumers.length; c++) {
            sb.append("\n  consumer ").append(c).append(" drains ").append(Arrays.toString(consumers[c].chans()));
        }
        for (int p = 0; p < producers.length; p++) {
            int[] counts = new int[Step.values().length];
            for (Step s : producers[p].steps()) {
                counts[s.ordinal()]++;
            }
            sb.append("\n  producer ").append(p).append(':');
            for (Step s : Step.values()) {
                sb.append(' ').append(s).append('=').append(counts[s.ordinal()]);
            }
        }
        return sb.toString();
    }
}
