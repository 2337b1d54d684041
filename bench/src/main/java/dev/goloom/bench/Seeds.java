package dev.goloom.bench;

import dev.goloom.GoRuntime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/*
 * Implementation notes
 *
 * Overview: the README's main job, `./goloom bench`: the "goroutine vs thread" table of the seeds,
 * measured live for goloom (GoRuntime.global()), the JDK's default virtual-thread scheduler and
 * platform threads. Five figures per runtime: creation cost per unit (start until parked), the
 * hand-off latency two ways (LockSupport park/unpark ping-pong, the same code on every runtime;
 * and goloom's unbuffered Chan against SynchronousQueue, one way), memory per parked unit (heap and
 * RSS growth per parked unit, read while all are parked, as Go's spawn anchor reads its
 * rss_per_blocked), and the largest count started within one time budget (1,000,000 goroutines;
 * platform threads until a cap, the budget, or the JVM's "unable to create native thread").
 *
 * Each runtime's figures come from fresh child JVMs (the same java, flags and classpath), one per
 * (kind, runtime), alternating the runtimes so a noisy neighbour hurts all alike; inside a child
 * every figure is the median of repeated rounds after warm-up rounds.
 *
 * Lineage: ../shared/anchors/jdk/Spawn.java and Pingpong.java (park mode), and
 * ../shared/anchors/go/spawn (the memory probe).
 *
 * Invariants: I1 every unit a child starts is released and joined before the child reports
 * (except after an OutOfMemoryError, where the child reports and exits). I2 the platform-thread
 * count round never exceeds PT_CAP threads, so the shared machine's pid space survives.
 *
 * Rejected alternatives: JMH for this table (it cannot run Go or compare across child JVMs in
 * under two minutes); measuring memory in the parent (other runtimes' garbage would pollute it).
 */
/** The main job: the seeds' goroutine-vs-thread table, measured live. */
public final class Seeds {
    private Seeds() {
    }

    /** The most platform threads the count round starts (keeps the shared machine's pid space). */
    static final int PT_CAP = 10_000;
    /** The time budget of the count round, for every runtime. */
    static final long BUDGET_NANOS = 10_000_000_000L;
    static final Rt[] RUNTIMES = {Rt.GOLOOM, Rt.VT, Rt.PT};
    /** How often the count round's driver looks at the counters (it parks in between). */
    static final long POLL_NANOS = 200_000;

    // ------------------------------------------------------------------------------ child side

    /** {@code --seed KIND RT SCALE}: one child's share of the table. */
    static void child(String kind, Rt rt, double scale) throws Exception {
        PrintStream out = System.out;
        Units u = Units.of(rt);
        switch (kind) {
            case "spawn" -> spawnChild(u, rt, scale, out);
            case "handoff" -> {
                int n = (int) Math.max(1000, (rt == Rt.PT ? 20_000 : 200_000) * scale);
                double[] v = new double[5];
                for (int r = 0; r < 2 + v.length; r++) {
                    double x = SchedScenarios.parkPingPong(u, new Scenario.Ctx(n, r, r < 2, r == 2))[0];
                    if (r >= 2) {
                        v[r - 2] = x;
                    }
                }
                out.println("@seed handoff " + Stats.of(v).wire());
                double[] w = new double[5];
                for (int r = 0; r < 2 + w.length; r++) {
                    double x = (rt == Rt.GOLOOM ? GoloomScenarios.pingPong(n) : JdkScenarios.pingPong(u, n))[0] / 2;
                    if (r >= 2) {
                        w[r - 2] = x;
                    }
                }
                out.println("@seed chan " + Stats.of(w).wire());
            }
            default -> throw new IllegalArgumentException("seed kind " + kind);
        }
        if (rt == Rt.GOLOOM) {
            out.println("@sched " + Child.schedLine(GoRuntime.global().schedStats()));
        }
        out.flush();
        System.exit(0);
    }

    static void spawnChild(Units u, Rt rt, double scale, PrintStream out) throws Exception {
        boolean pt = rt == Rt.PT;
        int warm = (int) Math.max(500, (pt ? 1_000 : 50_000) * scale);
        for (int r = 0; r < (pt ? 1 : 2); r++) {
            u.runIn(() -> SchedScenarios.spawnRound(u, warm, false));
        }
        int target = (int) Math.max(1000, (pt ? PT_CAP : 1_000_000) * scale);
        u.runIn(() -> {
            countRound(u, target, out);
            return null;
        });
        int n = (int) Math.max(500, (pt ? 2_000 : 50_000) * scale);
        double[] v = new double[5];
        for (int r = 0; r < v.length; r++) {
            v[r] = u.runIn(() -> SchedScenarios.spawnRound(u, n, false))[0];
        }
        out.println("@seed create " + Stats.of(v).wire());
    }

    /**
     * Starts up to {@code target} parked units within the budget; prints the count reached, the
     * time, why it stopped, and the memory growth per parked unit; then releases and joins them.
     */
    static void countRound(Units u, int target, PrintStream out) {
        long heap0 = Proc.heapAfterGc();
        long rss0 = Proc.status("VmRSS");
        CountDownLatch gate = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        dev.goloom.Task body = () -> {
            started.incrementAndGet();
            gate.await();
            done.incrementAndGet();
        };
        String why = "target";
        long t0 = System.nanoTime();
        long deadline = t0 + BUDGET_NANOS;
        int launched = 0;
        try {
            while (launched < target) {
                u.go(body);
                launched++;
                if ((launched & 255) == 0 && System.nanoTime() > deadline) {
                    why = "time budget";
                    break;
                }
            }
        } catch (OutOfMemoryError e) {
            why = "OutOfMemoryError: " + e.getMessage();
        }
        // poll with short parks, never spin: a spinning driver would take a processor from the units
        while (started.get() < launched && System.nanoTime() < deadline + BUDGET_NANOS) {
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
        }
        long t1 = System.nanoTime();
        int parked = started.get();
        double rss = (Proc.status("VmRSS") - rss0) / (double) parked;
        double heap = (Proc.heapAfterGc() - heap0) / (double) parked;
        out.println("@seed count " + parked + " " + (t1 - t0) / 1e9 + " " + why.replace(' ', '_'));
        out.println("@seed rss " + rss);
        out.println("@seed heap " + heap);
        out.flush();
        gate.countDown();
        while (done.get() < parked) {
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
        }
    }

    // ------------------------------------------------------------------------------ parent side

    /** Everything a runtime's children reported. */
    static final class Figures {
        Stats create;
        Stats handoff;
        Stats chan;
        double rss = Double.NaN;
        double heap = Double.NaN;
        long count;
        double countSeconds;
        String countWhy;
        String error;
        String sched;
    }

    /** Runs the children and prints the table; returns the exit status. */
    static int run(Path root, double scale, int runs) throws Exception {
        Path logDir = root.resolve("bench/target/bench-logs");
        System.out.printf("goloom bench: goroutine vs thread, measured live (%s; %d cpus; %s)%n",
                "JDK " + Runtime.version(), Proc.cpus(), java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                        .withNano(0));
        System.out.println("(each figure: median of repeated rounds inside a fresh child JVM per runtime;"
                + " logs in " + root.relativize(logDir) + ")");
        System.out.flush();
        Map<Rt, List<Figures>> all = new EnumMap<>(Rt.class);
        for (Rt rt : RUNTIMES) {
            all.put(rt, new ArrayList<>());
        }
        int step = 0;
        for (int r = 0; r < runs; r++) {
            for (String kind : new String[] {"spawn", "handoff"}) {
                for (int i = 0; i < RUNTIMES.length; i++) {
                    Rt rt = RUNTIMES[(i + step) % RUNTIMES.length];
                    Figures f = new Figures();
                    all.get(rt).add(f);
                    runChild(kind, rt, scale, logDir, f);
                }
                step++;
            }
        }
        print(all, scale);
        return 0;
    }

    static void runChild(String kind, Rt rt, double scale, Path logDir, Figures f) throws Exception {
        List<String> cmd = Procs.jvm(List.of("--seed", kind, rt.key, String.valueOf(scale)));
        System.err.printf("bench: %-7s %-6s ...", kind, rt.key);
        Procs.Outcome o = Procs.run(cmd, logDir.resolve("seed-" + kind + "-" + rt.key + ".log"), 100, null);
        System.err.printf(" %.1f s%s%n", o.wallNanos() / 1e9, o.ok() ? "" : o.timedOut() ? " (timeout)" : " (failed)");
        for (String line : o.stdout()) {
            String[] w = line.split(" ");
            if (line.startsWith("@sched ")) {
                f.sched = line.substring(7);
            } else if (line.startsWith("@seed ")) {
                switch (w[1]) {
                    case "create" -> f.create = Stats.parseWire(w, 2);
                    case "handoff" -> f.handoff = Stats.parseWire(w, 2);
                    case "chan" -> f.chan = Stats.parseWire(w, 2);
                    case "rss" -> f.rss = Double.parseDouble(w[2]);
                    case "heap" -> f.heap = Double.parseDouble(w[2]);
                    case "count" -> {
                        f.count = Long.parseLong(w[2]);
                        f.countSeconds = Double.parseDouble(w[3]);
                        f.countWhy = w[4].replace('_', ' ');
                    }
                    default -> {
                    }
                }
            }
        }
        if (!o.ok()) {
            f.error = o.timedOut() ? "timeout" : "failed (exit " + o.exit() + ")";
        }
    }

    /** The table as printed (plain text), kept for docs/BENCHMARKS.md. */
    static String lastTable = "";

    static void print(Map<Rt, List<Figures>> all, double scale) {
        String[] rows = {
            "creation, ns per unit (start until parked)",
            "hand-off latency, ns (park/unpark, one way)",
            "hand-off latency, ns (unbuffered Chan / SynchronousQueue, one way)",
            "memory per parked unit: heap, bytes",
            "memory per parked unit: RSS, bytes",
            "largest count started (10 s budget)",
        };
        String[][] cells = new String[rows.length][RUNTIMES.length];
        for (int c = 0; c < RUNTIMES.length; c++) {
            List<Figures> fs = all.get(RUNTIMES[c]);
            cells[0][c] = Report.cell(Stats.combine(fs.stream().map(f -> f.create).toList()), errorOf(fs));
            cells[1][c] = Report.cell(Stats.combine(fs.stream().map(f -> f.handoff).toList()), errorOf(fs));
            cells[2][c] = Report.cell(Stats.combine(fs.stream().map(f -> f.chan).toList()), errorOf(fs));
            cells[3][c] = Report.cell(Stats.of(fs.stream().mapToDouble(f -> f.heap).toArray()), errorOf(fs));
            cells[4][c] = Report.cell(Stats.of(fs.stream().mapToDouble(f -> f.rss).toArray()), errorOf(fs));
            Figures best = null;
            for (Figures f : fs) {
                if (f.countWhy != null && (best == null || f.count > best.count)) {
                    best = f;
                }
            }
            cells[5][c] = best == null ? String.valueOf(errorOf(fs)) : String.format(java.util.Locale.ROOT, "%s in %.1f s%s",
                    Report.fmt(best.count), best.countSeconds,
                    best.countWhy.equals("target") ? "" : " (" + best.countWhy + ")");
        }
        String[] head = new String[RUNTIMES.length];
        for (int c = 0; c < RUNTIMES.length; c++) {
            head[c] = RUNTIMES[c] == Rt.PT ? "platform threads" : RUNTIMES[c] == Rt.VT ? "JDK virtual threads" : "goloom goroutines";
        }
        StringBuilder b = new StringBuilder();
        b.append(Report.textTable("", head, rows, cells));
        String target = Report.fmt((long) Math.max(1000, 1_000_000 * scale));
        b.append("(largest count: goroutines and virtual threads aim at ").append(target)
                .append("; platform threads stop at ").append(Report.fmt((long) Math.max(1000, PT_CAP * scale)))
                .append(" to spare this shared machine's pid space, at the budget, or at \"unable to create native thread\")\n");
        for (Figures f : all.get(Rt.GOLOOM)) {
            if (f.sched != null) {
                b.append(f.sched).append('\n');
                break;
            }
        }
        lastTable = b.toString();
        System.out.println();
        System.out.print(lastTable);
        System.out.println("More: ./goloom bench --quick (every scenario, side by side with Go, Kotlin and jox), --all, --jmh.");
    }

    static String errorOf(List<Figures> fs) {
        for (Figures f : fs) {
            if (f.error != null) {
                return f.error;
            }
        }
        return "n/a";
    }
}
