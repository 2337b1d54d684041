package dev.goloom.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code ./goloom bench}: goloom's benchmark command.
 *
 * <pre>
 *   ./goloom bench                    the goroutine-vs-thread table (the README's main job, under 2 minutes)
 *   ./goloom bench --quick            every scenario, smaller sizes, one round (under 10 minutes)
 *   ./goloom bench --all              every scenario, full sizes, the seeds table on top; writes docs/BENCHMARKS.md
 *   ./goloom bench --jmh [regex] [JMH options]   the JMH benchmarks
 *   options: --scale F (alias --size F: multiply every size), --runs N, --only REGEX (scenario ids),
 *            --runtimes goloom,go,vt,pt,kotlin,jox, --out FILE (Markdown report), --no-write, --list
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            Child.main(args[1], Rt.parse(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args.length > 6 ? Long.parseLong(args[6]) : 0);
            return;
        }
        if (args.length > 0 && args[0].equals("--seed")) {
            Seeds.child(args[1], Rt.parse(args[2]), Double.parseDouble(args[3]));
            return;
        }
        if (args.length > 0 && args[0].equals("--jmh")) {
            List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
            org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            return;
        }
        boolean all = false;
        boolean quick = false;
        boolean write = true;
        double scale = 1;
        Integer runs = null;
        Pattern only = null;
        Path out = null;
        List<Rt> runtimes = new ArrayList<>(List.of(Rt.values()));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--all" -> all = true;
                case "--quick" -> quick = true;
                case "--scale", "--size" -> scale = Double.parseDouble(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = Pattern.compile(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-write" -> write = false;
                case "--runtimes" -> {
                    runtimes.clear();
                    for (String r : args[++i].split(",")) {
                        runtimes.add(Rt.parse(r.trim()));
                    }
                }
                case "--list" -> {
                    list();
                    return;
                }
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("bench: unknown option " + a);
                    usage();
                    System.exit(2);
                }
            }
        }
        Path root = Path.of(System.getProperty("goloom.root", System.getProperty("user.dir"))).toAbsolutePath();
        if (!all && !quick) {
            System.exit(Seeds.run(root, scale, runs == null ? 1 : runs));
        }
        String command = "./goloom bench " + String.join(" ", args);
        long t0 = System.nanoTime();
        if (all && only == null && runtimes.size() == Rt.values().length) {
            Seeds.run(root, scale, 1); // the main job's table heads the full report
        }
        Runner runner = new Runner(root, quick && !all, scale, runs == null ? 1 : runs,
                only, runtimes, command.trim());
        String md = runner.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        if (out == null && write && only == null && scale == 1 && runtimes.size() == Rt.values().length) {
            out = root.resolve("docs/BENCHMARKS.md");
            if (!all && fromFullRun(out)) {
                out = root.resolve("bench/target/BENCHMARKS.quick.md"); // a quick run never replaces a full one
            }
        }
        if (out != null && write) {
            runner.write(md, out.toAbsolutePath(), secs);
        } else if (write) {
            Path p = root.resolve("bench/target/BENCHMARKS.partial.md");
            Files.createDirectories(p.getParent());
            runner.write(md, p, secs);
        }
    }

    /** True when the report at {@code md} came from {@code --all}. */
    static boolean fromFullRun(Path md) {
        try {
            return Files.exists(md) && Files.readString(md).contains("- command: `./goloom bench --all");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void list() {
        for (Scenario s : Scenarios.all()) {
            StringBuilder b = new StringBuilder();
            for (Rt rt : Rt.values()) {
                if (rt == Rt.GO) {
                    b.append(" go=").append(s.goSpec() == null ? "n/a" : s.goSpec().program());
                } else {
                    Scenario.Impl i = s.impl(rt);
                    b.append(' ').append(rt.key).append('=').append(i.present() ? "yes" : i.absent().startsWith("n/a") ? "n/a" : i.absent());
                }
            }
            System.out.printf(Locale.ROOT, "%-11s %-8s %-48s N=%,d (quick %,d)%s%n", s.id, s.area, s.title, s.fullN, s.quickN, b);
        }
    }

    static void usage() {
        System.out.println("""
                usage: ./goloom bench [--quick | --all] [--scale F] [--runs N] [--only REGEX]
                                      [--runtimes goloom,go,vt,pt,kotlin,jox] [--out FILE] [--no-write] [--list]
                       ./goloom bench --jmh [regex] [JMH options]
                  (no option)  the goroutine-vs-thread table, measured live (under 2 minutes)
                  --quick      every scenario at smaller sizes, one round (under 10 minutes)
                  --all        every scenario at full sizes (seeds table on top); writes docs/BENCHMARKS.md + SVG chart
                  --scale F    multiply every size by F (alias --size); e.g. --scale 0.01 for a smoke run
                  --only REGEX run the scenarios whose id matches (see --list)""");
    }
}
