package dev.goloom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/*
 * Implementation notes
 *
 * Overview: `./goloom bench --all` / `--quick`. For every scenario (Scenarios.all(), optionally
 * filtered by --only), `runs` rounds; in each round every runtime's side runs once, in an order
 * rotated by scenario and round so that a noisy machine hurts every runtime alike. A JVM side is
 * a fresh child JVM (Child: warm-up + measured repetitions, median), Go's side a Go program
 * (GoSide, same discipline inside the program). The table shows, per metric, each runtime's
 * median over the rounds' medians with the spread (the largest distance from the median to any
 * round's extreme, in %), and goloom's ratio to Go and to the best JVM peer.
 *
 * Invariants: I1 a missing figure always says why: "n/a (no such construct)", "pending" (the
 * goloom construct is not in this build yet), "failed"/"timeout" (see the log). I2 a ratio is
 * always "goloom's cost / the other's cost": below 1 means goloom is faster, for time-like
 * metrics (lower is better) and throughput metrics (inverted) alike.
 *
 * Rejected alternatives: JMH for the side-by-side table (cannot drive Go, Kotlin and child JVMs in
 * one alternating schedule); one JVM for all runtimes (the first runtime's garbage, JIT profile
 * and carrier threads would bias the next).
 */
/** The side-by-side table of every scenario on every runtime. */
final class Runner {
    /** One runtime's figures for one scenario. */
    static final class Entry {
        final List<List<Stats>> perMetric = new ArrayList<>();
        String missing;
        long n;
        String note;
    }

    private final Path root;
    private final Path logDir;
    private final boolean quick;
    private final double scale;
    private final int runs;
    private final Pattern only;
    private final List<Rt> runtimes;
    private final String command;
    private final GoSide go;
    private final Map<String, Map<Rt, Entry>> results = new LinkedHashMap<>();
    private final List<Scenario> scenarios = new ArrayList<>();

    Runner(Path root, boolean quick, double scale, int runs, Pattern only, List<Rt> runtimes, String command) {
        this.root = root;
        this.logDir = root.resolve("bench/target/bench-logs");
        this.quick = quick;
        this.scale = scale;
        this.runs = runs;
        this.only = only;
        this.runtimes = runtimes;
        this.command = command;
        this.go = new GoSide(root, logDir);
    }

    /** Runs everything; prints the table; returns it as Markdown (the body of BENCHMARKS.md). */
    String run() throws Exception {
        loadBefore = loadavg();
        for (Scenario s : Scenarios.all()) {
            if (only == null || only.matcher(s.id).find()) {
                scenarios.add(s);
            }
        }
        boolean goReady = runtimes.contains(Rt.GO) && go.prepare();
        long t0 = System.nanoTime();
        for (int si = 0; si < scenarios.size(); si++) {
            Scenario s = scenarios.get(si);
            Map<Rt, Entry> row = new EnumMap<>(Rt.class);
            results.put(s.id, row);
            for (Rt rt : Rt.values()) {
                Entry e = new Entry();
                for (int m = 0; m < s.metrics().size(); m++) {
                    e.perMetric.add(new ArrayList<>());
                }
                row.put(rt, e);
                if (!runtimes.contains(rt)) {
                    e.missing = "not run";
                } else if (rt == Rt.GO) {
                    e.missing = goReady ? null : go.unavailable();
                    if (s.goSpec() == null) {
                        e.missing = Scenario.NA;
                    }
                } else {
                    Scenario.Impl impl = s.impl(rt);
                    e.missing = impl.present() ? null : impl.absent();
                    e.note = impl.note();
                }
            }
            for (int r = 0; r < runs; r++) {
                Rt[] order = Rt.values();
                for (int k = 0; k < order.length; k++) {
                    Rt rt = order[(k + si + r) % order.length];
                    Entry e = row.get(rt);
                    if (e.missing == null) {
                        runOne(s, rt, e, r);
                    }
                }
            }
        }
        System.err.printf("bench: all scenarios done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        return render();
    }

    private void runOne(Scenario s, Rt rt, Entry e, int run) throws Exception {
        long n = s.size(quick, scale);
        int warmup = quick ? Math.min(1, s.warmup) : s.warmup;
        int reps = quick ? Math.min(3, s.reps) : s.reps;
        System.err.printf("bench: %-10s %-7s run %d/%d ...", s.id, rt.key, run + 1, runs);
        long t0 = System.nanoTime();
        String status = "";
        try {
            if (rt == Rt.GO) {
                e.n = n;
                Map<String, Stats> m = go.run(s.goSpec(), n, reps, run, timeout(s));
                for (int i = 0; i < s.metrics().size(); i++) {
                    Stats st = m.get(s.metrics().get(i).goKey());
                    e.perMetric.get(i).add(st);
                }
            } else {
                Scenario.Impl impl = s.impl(rt);
                long rn = Math.max(1, Math.round(n * impl.nFactor()));
                e.n = rn;
                List<String> cmd = new ArrayList<>();
                if (impl.pinOneCpu() && Procs.haveTaskset()) {
                    cmd.add("taskset");
                    cmd.add("-c");
                    cmd.add("0");
                }
                cmd.addAll(Procs.jvm(List.of("--child", s.id, rt.key, String.valueOf(rn),
                        String.valueOf(warmup), String.valueOf(reps), String.valueOf(warmFloorMs()))));
                Procs.Outcome o = Procs.run(cmd, logDir.resolve(s.id + "-" + rt.key + ".log"), timeout(s), null);
                String err = null;
                for (String line : o.stdout()) {
                    String[] w = line.split(" ");
                    if (line.startsWith("@result ") && !w[2].equals("none")) {
                        e.perMetric.get(Integer.parseInt(w[1])).add(Stats.parseWire(w, 2));
                    } else if (line.startsWith("@error ")) {
                        err = line.substring(7);
                    }
                }
                if (!o.ok()) {
                    status = o.timedOut() ? " timeout" : " failed: " + (err == null ? "exit " + o.exit() : err);
                    if (e.perMetric.get(0).isEmpty()) {
                        e.missing = o.timedOut() ? "timeout" : "failed";
                    }
                }
            }
        } catch (IOException ex) {
            status = " failed: " + ex.getMessage();
            if (e.perMetric.get(0).isEmpty()) {
                e.missing = "failed";
            }
        }
        System.err.printf(" %.1f s%s%n", (System.nanoTime() - t0) / 1e9, status);
    }

    /**
     * The least time a JVM side spends warming up before it measures (Child): the scenario's
     * warm-up count is a minimum, and a JVM keeps warming until this much time has passed (or
     * Child.MAX_WARMUP repetitions have run, whichever comes first), so
     * that the table compares steady states (a 30 ms repetition of the WaitGroup fan-out ran
     * 8,000 then 1,700 ns a goroutine in its two warm-ups and 350 once the JIT had finished).
     * Go's side needs no such floor (no JIT); --quick keeps its short warm-up.
     */
    private long warmFloorMs() {
        return quick ? 0 : Long.getLong("goloom.bench.warmMs", 2500);
    }

    /** A child's time limit: the scenario's for --quick, more for full sizes (slow runtimes, loaded machines). */
    private long timeout(Scenario s) {
        return quick ? s.timeoutSeconds : Math.max(s.timeoutSeconds, Math.round(600 * Math.max(1, scale)));
    }

    // ------------------------------------------------------------------------------ rendering

    static final Rt[] COLUMNS = {Rt.GOLOOM, Rt.GO, Rt.VT, Rt.PT, Rt.KOTLIN, Rt.JOX};

    private String render() throws IOException {
        List<String> rows = new ArrayList<>();
        List<String[]> cells = new ArrayList<>();
        List<String[]> mdCells = new ArrayList<>();
        List<Report.Bar> bars = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<Rt, Entry> row = results.get(s.id);
            for (Rt rt : COLUMNS) {
                Entry e = row.get(rt);
                if (e.note != null && e.missing == null) {
                    notes.add(s.id + " / " + rt.key + ": " + e.note + " (N=" + String.format(Locale.ROOT, "%,d", e.n) + ")");
                }
            }
            for (int m = 0; m < s.metrics().size(); m++) {
                Scenario.Metric metric = s.metrics().get(m);
                String label = s.title + " N=" + shortN(s.size(quick, scale)) + ": " + metric.name() + " [" + metric.unit() + "]";
                rows.add(label);
                String[] c = new String[COLUMNS.length + 2];
                String[] md = new String[COLUMNS.length + 2];
                Map<Rt, Stats> st = new EnumMap<>(Rt.class);
                for (int k = 0; k < COLUMNS.length; k++) {
                    Entry e = row.get(COLUMNS[k]);
                    Stats x = e.missing == null ? Stats.combine(e.perMetric.get(m)) : null;
                    if (x != null) {
                        st.put(COLUMNS[k], x);
                    }
                    String miss = e.missing != null ? e.missing : "failed";
                    c[k] = Report.cell(x, miss);
                    md[k] = c[k];
                }
                Stats g = st.get(Rt.GOLOOM);
                double toGo = ratio(metric, g, st.get(Rt.GO));
                vsGo.put(s.id + "#" + m, new Stats[] {g, st.get(Rt.GO)});
                Rt best = null;
                for (Rt rt : COLUMNS) {
                    if (rt.jvmPeer() && st.containsKey(rt) && st.get(rt).median() > 0) {
                        if (best == null || better(metric, st.get(rt), st.get(best))) {
                            best = rt;
                        }
                    }
                }
                double toJvm = best == null ? Double.NaN : ratio(metric, g, st.get(best));
                c[COLUMNS.length] = Report.ratio(toGo);
                c[COLUMNS.length + 1] = Double.isNaN(toJvm) ? "-" : Report.ratio(toJvm) + " (" + best.key + ")";
                md[COLUMNS.length] = c[COLUMNS.length];
                md[COLUMNS.length + 1] = c[COLUMNS.length + 1];
                cells.add(c);
                mdCells.add(md);
                bars.add(new Report.Bar(s.title + ": " + metric.name(), toGo, toJvm));
            }
        }
        String[] head = new String[COLUMNS.length + 2];
        for (int k = 0; k < COLUMNS.length; k++) {
            head[k] = COLUMNS[k].title;
        }
        head[COLUMNS.length] = "goloom/Go";
        head[COLUMNS.length + 1] = "goloom/best JVM";
        String[] r = rows.toArray(String[]::new);
        System.out.println();
        System.out.print(Report.textTable("scenario", head, r, cells.toArray(String[][]::new)));
        System.out.println("(median ±spread over " + runs + " run(s); ratios are goloom's cost / the other's:"
                + " below 1x goloom is faster; logs in " + root.relativize(logDir) + ")");
        for (String n : notes) {
            System.out.println("  note " + n);
        }

        StringBuilder md = new StringBuilder();
        md.append("## Results\n\n");
        md.append(Report.markdown("scenario", head, r, mdCells.toArray(String[][]::new)));
        md.append("\nMedian ±spread: the median over ").append(runs)
                .append(" process run(s) of each run's in-process median; the spread is the largest distance from that median"
                        + " to any repetition's extreme, in %. Ratios: goloom's cost divided by the other's"
                        + " (below 1x goloom is faster; for requests/s the inverse). \"pending\": goloom's side of the"
                        + " scenario waits for a construct not yet in this build.\n\n");
        md.append("Notes on the JVM sides (the construct used, and a different size N where one applies):\n\n");
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        lastBars = bars;
        return md.toString();
    }

    List<Report.Bar> lastBars = List.of();
    /** per "scenario#metric": {goloom, Go} figures, for the targets section. */
    private final Map<String, Stats[]> vsGo = new LinkedHashMap<>();

    /** The runtime issue's targets against Go, checked on this run's figures (empty if not measured). */
    String targets() {
        StringBuilder b = new StringBuilder();
        target(b, "skynet#0", "skynet faster than Go", 1.0, "ms");
        target(b, "spawn#1", "bytes per parked goroutine (RSS) below Go's", 1.0, "B");
        target(b, "spawn#2", "bytes per parked goroutine (heap; Go: stack+heap in use) below Go's", 1.0, "B");
        target(b, "spawn#0", "spawn within 1.5x of Go", 1.5, "ns");
        return b.length() == 0 ? "" : "## Targets (goloom runtime issue, on this machine)\n\n" + b + "\n";
    }

    private void target(StringBuilder b, String key, String what, double limit, String unit) {
        Stats[] p = vsGo.get(key);
        if (p == null || p[0] == null || p[1] == null || p[0].median() <= 0 || p[1].median() <= 0) {
            return;
        }
        double r = p[0].median() / p[1].median();
        b.append("- ").append(what).append(": goloom ").append(Report.fmt(p[0].median())).append(' ').append(unit)
                .append(", Go ").append(Report.fmt(p[1].median())).append(' ').append(unit).append(" (")
                .append(Report.ratio(r)).append("): ").append(r < limit ? "met" : "not met").append('\n');
    }
    private String loadBefore = "?";

    /** The 1/5/15-minute load averages from /proc/loadavg, or "?". */
    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String shortN(long n) {
        if (n >= 1_000_000 && n % 100_000 == 0) {
            return (n % 1_000_000 == 0 ? String.valueOf(n / 1_000_000) : String.format(Locale.ROOT, "%.1f", n / 1e6)) + "M";
        }
        if (n >= 1000 && n % 1000 == 0) {
            return n / 1000 + "k";
        }
        return String.valueOf(n);
    }

    static boolean better(Scenario.Metric m, Stats a, Stats b) {
        return m.higherIsBetter() ? a.median() > b.median() : a.median() < b.median();
    }

    static double ratio(Scenario.Metric m, Stats goloom, Stats other) {
        if (goloom == null || other == null || goloom.median() <= 0 || other.median() <= 0) {
            return Double.NaN;
        }
        return m.higherIsBetter() ? other.median() / goloom.median() : goloom.median() / other.median();
    }

    /** Writes docs/BENCHMARKS.md and docs/benchmarks-ratios.svg. */
    void write(String body, Path md, double seconds) throws IOException {
        String date = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toString();
        StringBuilder b = new StringBuilder();
        b.append("# goloom benchmarks\n\n");
        b.append("goloom side by side with Go 1.19, the JDK's virtual threads (default scheduler), platform threads,"
                + " Kotlin coroutines and jox, same scenarios and sizes, one run of one command.\n\n");
        b.append("- command: `").append(command).append("` (").append(String.format(Locale.ROOT, "%.0f", seconds))
                .append(" s)\n");
        b.append("- date: ").append(date).append('\n');
        b.append("- machine: ").append(Proc.cpuModel()).append(", ").append(Proc.cpus()).append(" cpus, ")
                .append(Proc.memTotal() / (1 << 20)).append(" MiB; ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append('\n');
        b.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version())
                .append(", flags of ./goloom (--add-opens java.base/java.lang=ALL-UNNAMED -Djdk.pollerMode=1"
                        + "); Go: ").append(go.unavailable() == null ? go.version() : go.unavailable())
                .append(", GOMAXPROCS = cpus\n");
        b.append("- Kotlin coroutines: kotlinx-coroutines-core ").append(pkgVersion(kotlinx.coroutines.Job.class))
                .append(" on Dispatchers.Default; jox: channels ").append(pkgVersion(com.softwaremill.jox.Channel.class))
                .append(" on JDK virtual threads\n");
        b.append("- load average (1/5/15 min) on ").append(Proc.cpus()).append(" cpus: ").append(loadBefore)
                .append(" at the start, ").append(loadavg()).append(" at the end\n\n");
        b.append("The numbers are only as good as the machine was quiet: a shared 2-core machine moves them 3-4x."
                + " Re-run on a quiet machine before drawing conclusions.\n\n");
        if (!Seeds.lastTable.isEmpty()) {
            b.append("## The main job: `./goloom bench` (goroutine vs thread)\n\n```\n").append(Seeds.lastTable)
                    .append("```\n\n");
        }
        b.append("![goloom's ratios](benchmarks-ratios.svg)\n\n");
        b.append(targets());
        b.append(body);
        b.append("\n## How it is measured\n\n");
        b.append("""
                The table comes from goloom's own in-process harness (`dev.goloom.bench.Runner`), not from JMH,
                because one schedule must drive Go programs and fresh child JVMs alike: every runtime's side of a
                scenario runs in its own process (a child JVM with the same flags and class path, or a Go 1.19
                program), in an order rotated per scenario and per round so that outside load hurts every runtime
                alike. Inside a process the scenario runs warm-up repetitions, then measured repetitions, and
                reports the median (as ../shared/anchors does). The same scenarios exist as JMH benchmarks
                (`dev.goloom.bench.{sched,chan,select,sync,context,timer}.*Benchmark`, run with
                `./goloom bench --jmh [regex]`) for profiling one runtime at a time.

                Go's side: ../shared/anchors/go plus bench/go (programs the anchors lack), copied to
                bench/target/go and built with Debian's golang-1.19-go, which the harness installs when absent
                (as root). The platform-thread side of a scenario runs only where it is meaningful, at a smaller
                N where noted (1M OS threads cannot exist here).

                Commands: `./goloom bench` (the short goroutine-vs-thread table), `./goloom bench --quick`
                (every scenario at smaller sizes, one round, under 10 minutes), `./goloom bench --all` (full sizes,
                the main job's table on top), `--runs N` (process rounds, default 1), `--only REGEX`, `--scale F`,
                `--runtimes goloom,go,vt,...`. See bench/README.md.
                """);
        Files.createDirectories(md.getParent());
        Files.writeString(md, b.toString());
        Files.writeString(md.resolveSibling("benchmarks-ratios.svg"),
                Report.svg("goloom vs Go 1.19 and the best JVM peer (" + date.substring(0, 10) + ")", lastBars));
        System.err.println("bench: wrote " + root.relativize(md) + " and " + root.relativize(md.resolveSibling("benchmarks-ratios.svg")));
    }

    static String pkgVersion(Class<?> c) {
        String v = c.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        String loc = String.valueOf(c.getProtectionDomain().getCodeSource().getLocation());
        var m = Pattern.compile("/([0-9][^/]*)/[^/]*\\.jar$").matcher(loc);
        return m.find() ? m.group(1) : "?";
    }
}
