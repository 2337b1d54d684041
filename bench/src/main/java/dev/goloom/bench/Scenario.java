package dev.goloom.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One benchmark scenario of the side-by-side table: what it measures (one or more metrics, each a
 * table row), its default size, and how each runtime runs it.
 *
 * <p>A JVM runtime's side is a {@link Body} run in a fresh child JVM ({@link Child}): warm-up
 * repetitions, then measured repetitions, the median reported. Go's side is a program of
 * {@code ../shared/anchors/go} or {@code bench/go}, which does the same inside its process.
 */
public final class Scenario {
    /** One row of the table. {@code goKey} is the Go program's output key (null: no Go figure). */
    public record Metric(String name, String unit, boolean higherIsBetter, String goKey) {
    }

    /** What one repetition of a JVM side sees. */
    public record Ctx(long n, int rep, boolean warm, boolean first) {
        /** n as an int (sizes here fit). */
        public int ni() {
            return Math.toIntExact(n);
        }
    }

    /** One repetition of a JVM side: returns one value per metric (NaN: not measured this time). */
    @FunctionalInterface
    public interface Body {
        double[] run(Ctx c) throws Exception;
    }

    /**
     * How a runtime runs the scenario: a body (with a size factor, and maybe pinned to one CPU),
     * or a reason it does not ("n/a (no such construct)", "pending").
     */
    public record Impl(Body body, double nFactor, boolean pinOneCpu, String note, String absent) {
        public boolean present() {
            return body != null;
        }
    }

    /** Go's side: a program name (a folder of the Go build dir) and its arguments for size n. */
    public record GoSpec(String program, LongFunction<List<String>> args) {
    }

    public static final String NA = "n/a (no such construct)";
    public static final String PENDING = "pending";

    public final String id;
    public final String area;
    public final String title;
    public final long fullN;
    public final long quickN;
    final List<Metric> metrics = new ArrayList<>();
    final Map<Rt, Impl> impls = new EnumMap<>(Rt.class);
    GoSpec go;
    int warmup = 2;
    int reps = 5;
    long timeoutSeconds = 180;

    private Scenario(String id, String area, String title, long fullN, long quickN) {
        this.id = id;
        this.area = area;
        this.title = title;
        this.fullN = fullN;
        this.quickN = quickN;
    }

    public static Scenario of(String id, String area, String title, long fullN, long quickN) {
        return new Scenario(id, area, title, fullN, quickN);
    }

    public Scenario metric(String name, String unit, String goKey) {
        metrics.add(new Metric(name, unit, false, goKey));
        return this;
    }

    public Scenario throughput(String name, String unit, String goKey) {
        metrics.add(new Metric(name, unit, true, goKey));
        return this;
    }

    public Scenario go(String program, LongFunction<List<String>> args) {
        this.go = new GoSpec(program, args);
        return this;
    }

    public Scenario impl(Rt rt, Body body) {
        return impl(rt, 1.0, body, null);
    }

    public Scenario impl(Rt rt, double nFactor, Body body, String note) {
        impls.put(rt, new Impl(body, nFactor, false, note, null));
        return this;
    }

    public Scenario pinned(Rt rt, double nFactor, Body body, String note) {
        impls.put(rt, new Impl(body, nFactor, true, note, null));
        return this;
    }

    public Scenario na(Rt... rts) {
        for (Rt rt : rts) {
            impls.put(rt, new Impl(null, 1, false, null, NA));
        }
        return this;
    }

    public Scenario absent(Rt rt, String why) {
        impls.put(rt, new Impl(null, 1, false, null, why));
        return this;
    }

    public Scenario pending(Rt rt) {
        impls.put(rt, new Impl(null, 1, false, null, PENDING));
        return this;
    }

    public Scenario reps(int warmup, int reps) {
        this.warmup = warmup;
        this.reps = reps;
        return this;
    }

    public Scenario timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    public List<Metric> metrics() {
        return Collections.unmodifiableList(metrics);
    }

    /** The runtime's side; a JVM runtime nobody declared is "n/a (no such construct)". */
    public Impl impl(Rt rt) {
        Impl i = impls.get(rt);
        return i != null ? i : new Impl(null, 1, false, null, NA);
    }

    public GoSpec goSpec() {
        return go;
    }

    boolean powerOfTen;

    /** Sizes of this scenario are rounded down to a power of ten (skynet's tree needs it). */
    public Scenario powerOfTen() {
        this.powerOfTen = true;
        return this;
    }

    /** The size for a scale factor: quick or full default times scale, at least 1 (10 for powers of ten). */
    public long size(boolean quick, double scale) {
        long n = Math.max(1, Math.round((quick ? quickN : fullN) * scale));
        if (powerOfTen) {
            long p = 10;
            while (p * 10 <= n) {
                p *= 10;
            }
            n = p;
        }
        return n;
    }
}
