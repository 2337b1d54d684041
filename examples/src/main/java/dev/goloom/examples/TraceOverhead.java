package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.sync.WaitGroup;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What recording an execution trace costs ({@code GoRuntime.startTrace}/{@code stopTrace}, Go's
 * runtime/trace): four channel patterns, each run with tracing off and on in alternation inside
 * one process, so that outside load hurts both sides alike; prints the medians and the overhead.
 * The figures in docs/DEBUGGING.md ("Execution traces") come from
 * {@code ./goloom run traceoverhead}.
 *
 * <p>Arguments: {@code [repetitions per side, default 10] [scale, default 1.0]}.
 */
public final class TraceOverhead {
    private TraceOverhead() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, args);
    }

    /** One measurement: the cost per operation in nanoseconds on {@code rt}. */
    private interface Scenario {
        double run(GoRuntime rt, int n);
    }

    private record Case(String name, int procs, int n, Scenario body) {
    }

    public static void run(PrintStream out, String... args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        List<Case> cases = List.of(
                new Case("unbuffered ping-pong, GOMAXPROCS=1 [ns/round trip]", 1, 300_000, TraceOverhead::pingPong),
                new Case("unbuffered ping-pong, GOMAXPROCS=2 [ns/round trip]", 2, 300_000, TraceOverhead::pingPong),
                new Case("buffered cap 128, 1 producer / 1 consumer [ns/item]", 2, 2_000_000, TraceOverhead::buffered),
                new Case("thread-ring 503, GOMAXPROCS=1 [ns/hop]", 1, 1_000_000, TraceOverhead::threadRing),
                new Case("thread-ring 503, GOMAXPROCS=2 [ns/hop]", 2, 1_000_000, TraceOverhead::threadRing));
        Path file = Files.createTempFile("goloom-overhead", ".trace");
        try {
            out.printf("%-52s %10s %10s %9s%n", "scenario (median of " + reps + " each way)", "off", "on", "overhead");
            for (Case c : cases) {
                int n = Math.max(1, (int) (c.n() * scale));
                List<Double> off = new ArrayList<>();
                List<Double> on = new ArrayList<>();
                try (GoRuntime rt = GoRuntime.builder().name("overhead").maxProcs(c.procs()).build()) {
                    c.body().run(rt, n);                              // warm-up, untimed
                    for (int rep = 0; rep < 2 * reps; rep++) {
                        boolean traced = rep % 2 == 1;
                        if (traced) {
                            rt.startTrace(file);
                        }
                        double v = c.body().run(rt, n);
                        if (traced) {
                            rt.stopTrace();
                        }
                        (traced ? on : off).add(v);
                    }
                }
                double mOff = median(off);
                double mOn = median(on);
                out.printf("%-52s %10.1f %10.1f %8.1f%%%n", c.name(), mOff, mOn, 100 * (mOn / mOff - 1));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static double pingPong(GoRuntime rt, int n) {
        double[] d = new double[1];
        rt.main(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            rt.go(() -> {
                for (Integer v : ping) {
                    pong.send(v);
                }
            });
            Integer tok = 42;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ping.send(tok);
                pong.recv();
            }
            d[0] = (System.nanoTime() - t0) / (double) n;
            ping.close();
        });
        return d[0];
    }

    private static double buffered(GoRuntime rt, int n) {
        double[] d = new double[1];
        rt.main(() -> {
            Chan<Integer> c = Chan.make(128);
            WaitGroup wg = new WaitGroup();
            Integer tok = 1;
            long t0 = System.nanoTime();
            wg.go(() -> {
                for (int i = 0; i < n; i++) {
                    c.send(tok);
                }
            });
            for (int i = 0; i < n; i++) {
                c.recv();
            }
            wg.await();
            d[0] = (System.nanoTime() - t0) / (double) n;
        });
        return d[0];
    }

    /** goloom's channel thread-ring of 503 goroutines on {@code rt}: ns per hop (also Floors'). */
    static double threadRing(GoRuntime rt, int n) {
        double[] d = new double[1];
        rt.main(() -> {
            int k = 503;
            List<Chan<Integer>> ring = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                ring.add(Chan.make());
            }
            Chan<Integer> done = Chan.make();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < k; i++) {
                Chan<Integer> in = ring.get(i);
                Chan<Integer> next = ring.get((i + 1) % k);
                wg.go(() -> {
                    for (Integer v : in) {
                        if (v == 0) {
                            done.send(0);
                        } else {
                            next.send(v - 1);
                        }
                    }
                });
            }
            long t0 = System.nanoTime();
            ring.get(0).send(n);
            done.recv();
            d[0] = (System.nanoTime() - t0) / (double) n;
            ring.forEach(Chan::close);
            wg.await();
        });
        return d[0];
    }
}
