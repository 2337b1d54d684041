package dev.goloom.bench;

import dev.goloom.GoRuntime;
import dev.goloom.SchedStats;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The child-JVM side of the harness: runs one scenario on one JVM runtime (warm-up repetitions,
 * then measured ones) and prints one {@code @result <metric> <median> <min> <max> <n>} line per
 * metric, then exits. A failure prints {@code @error <message>} and exits with status 1.
 *
 * <p>Protocol lines start with {@code @}; anything else on stdout is passed through to the log.
 */
public final class Child {
    /* Implementation notes
     *
     * Overview: one child JVM = one (scenario, runtime) pair, so that no runtime inherits another's
     * heap, JIT profile or carrier threads. Repetition r gets Ctx(n, r, warm = r < warmup,
     * first = r == warmup): memory figures are read on the first measured repetition only (as Go's
     * anchor reads them in its first round), and are NaN on the others.
     *
     * Invariants: I1 stdout carries only protocol lines (@result, @error, @sched) and the bodies'
     * own prints; per-repetition figures go to stderr, which the parent appends to the log.
     * I2 a unit that failed (Units.failure) fails the run even when the body returned.
     */

    private Child() {
    }

    /** The most warm-up repetitions a time floor can add (a slow side must still end). */
    static final int MAX_WARMUP = 40;

    /**
     * Runs {@code warmup} warm-up repetitions, more while less than {@code warmFloorMs} has passed
     * since the first began (at most MAX_WARMUP in all), then {@code reps} measured ones.
     */
    static void main(String id, Rt rt, long n, int warmup, int reps, long warmFloorMs) {
        PrintStream out = System.out;
        Scenario s = Scenarios.byId(id);
        if (s == null) {
            out.println("@error unknown scenario " + id);
            System.exit(2);
        }
        Scenario.Impl impl = s.impl(rt);
        if (!impl.present()) {
            out.println("@error " + rt.key + " has no side for " + id + ": " + impl.absent());
            System.exit(2);
        }
        int metrics = s.metrics().size();
        double[][] vals = new double[metrics][reps];
        try {
            long warmStart = System.nanoTime();
            for (int r = 0; r < warmup + reps; r++) {
                if (r == warmup && warmup > 0 && warmup < MAX_WARMUP
                        && System.nanoTime() - warmStart < warmFloorMs * 1_000_000L) {
                    warmup++;                  // keep warming: the JIT is not done yet (Runner.warmFloorMs)
                }
                boolean warm = r < warmup;
                double[] v = impl.body().run(new Scenario.Ctx(n, r, warm, r == warmup));
                if (v.length != metrics) {
                    throw new IllegalStateException("body returned " + v.length + " values for " + metrics + " metrics");
                }
                System.err.printf("# %s/%s rep %d%s: %s%n", id, rt.key, r, warm ? " (warm-up)" : "", Arrays.toString(v));
                if (!warm) {
                    for (int i = 0; i < metrics; i++) {
                        vals[i][r - warmup] = v[i];
                    }
                }
                if (Units.failure != null) {
                    throw new IllegalStateException("a unit failed", Units.failure);
                }
            }
        } catch (Throwable e) {
            e.printStackTrace();
            out.println("@error " + oneLine(e));
            out.flush();
            System.exit(1);
        }
        for (int i = 0; i < metrics; i++) {
            Stats st = Stats.of(vals[i]);
            out.println("@result " + i + " " + (st == null ? "none" : st.wire()));
        }
        if (rt == Rt.GOLOOM) {
            out.println("@sched " + schedLine(GoRuntime.global().schedStats()));
        }
        out.flush();
        System.exit(0);
    }

    static String oneLine(Throwable e) {
        String m = e.toString();
        Throwable c = e.getCause();
        if (c != null && c != e) {
            m += " caused by " + c;
        }
        return m.replace('\n', ' ');
    }

    /** Go's SCHED line of {@code GODEBUG=schedtrace}, from a SchedStats snapshot, plus goloom's totals. */
    public static String schedLine(SchedStats s) {
        StringBuilder b = new StringBuilder();
        b.append("SCHED: gomaxprocs=").append(s.maxProcs())
                .append(" idleprocs=").append(s.idleProcs())
                .append(" threads=").append(s.threads())
                .append(" spinningthreads=").append(s.spinningThreads())
                .append(" idlethreads=").append(s.idleThreads())
                .append(" runqueue=").append(s.globalRunQueue())
                .append(" [");
        int[] q = s.localRunQueues();
        for (int i = 0; q != null && i < q.length; i++) {
            b.append(i == 0 ? "" : " ").append(q[i]);
        }
        b.append("] created=").append(s.goroutinesCreated())
                .append(" steals=").append(s.steals())
                .append(" handoffs=").append(s.handoffs());
        return b.toString();
    }
}
