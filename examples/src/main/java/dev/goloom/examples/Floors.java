package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.Task;
import dev.goloom.sync.WaitGroup;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * What the JDK's virtual threads cost underneath goloom, measured side by side in one process:
 * the floors that some of Go's figures sit below (docs/adr/0004-jdk-floors.md).
 *
 * <ul>
 *   <li><b>Hand-off floor.</b> A ring of 503 threads passing a token with nothing but
 *       LockSupport.park/unpark: on the JDK's own scheduler, and as goroutines on goloom's. Every
 *       hop is one virtual-thread park and one unpark (a continuation freeze and thaw and the
 *       JDK's state machine around them); no channel is involved. goloom's channel thread-ring
 *       follows for comparison: its cost above the ring is the channel's.</li>
 *   <li><b>GC floor.</b> Spawn-and-park at 50,000 and at 1,000,000: the same code, but a million
 *       parked virtual threads (about a kilobyte each) no longer fit in the young generation, and
 *       the collector copies every one of them. The GC column is the collectors' own time (all
 *       GarbageCollectorMXBeans) during the measured phase, per thread.</li>
 * </ul>
 *
 * <p>Arguments: {@code [repetitions, default 5] [scale, default 1.0]}. {@code ./goloom run floors}.
 */
public final class Floors {
    private Floors() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, args);
    }

    private interface Body {
        double[] run(int n) throws Exception;
    }

    private record Case(String name, int n, Body body) {
    }

    public static void run(PrintStream out, String... args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("park/unpark ring 503, JDK virtual threads [ns/hop]", 2_000_000, Floors::vtRing));
        for (int procs : new int[] {1, 2}) {
            cases.add(new Case("park/unpark ring 503, goroutines, GOMAXPROCS=" + procs + " [ns/hop]", 2_000_000,
                    n -> onGoloom(procs, rt -> goRing(rt, n))));
            cases.add(new Case("channel thread-ring 503, goroutines, GOMAXPROCS=" + procs + " [ns/hop]", 2_000_000,
                    n -> onGoloom(procs, rt -> chanRing(rt, n))));
        }
        for (int n : new int[] {50_000, 1_000_000}) {
            cases.add(new Case("spawn-and-park, JDK virtual threads [ns/thread]", n, Floors::vtSpawn));
            cases.add(new Case("spawn-and-park, goroutines [ns/goroutine]", n,
                    k -> onGoloom(Runtime.getRuntime().availableProcessors(), rt -> goSpawn(rt, k))));
        }
        out.printf("%-62s %9s %10s %11s%n", "floor (median of " + reps + ")", "N", "cost", "GC [ns/unit]");
        for (Case c : cases) {
            int n = Math.max(2, (int) (c.n() * scale));
            c.body().run(Math.min(n, 50_000));                 // warm-up, untimed
            c.body().run(Math.min(n, 50_000));
            List<Double> cost = new ArrayList<>();
            List<Double> gc = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                double[] v = c.body().run(n);
                cost.add(v[0]);
                gc.add(v[1]);
            }
            out.printf("%-62s %9d %10.1f %11.1f%n", c.name(), n, TraceOverhead.median(cost), TraceOverhead.median(gc));
        }
    }

    private interface OnRuntime {
        double[] run(GoRuntime rt) throws Exception;
    }

    private static double[] onGoloom(int procs, OnRuntime body) throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("floors").maxProcs(procs).build()) {
            return body.run(rt);
        }
    }

    /** Milliseconds all collectors have spent so far. */
    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    // ------------------------------------------------------------------ park/unpark rings

    /** One ring member's mailbox: the token (-1: none) and the thread that waits on it. */
    private static final class Cell {
        volatile int token = -1;
        volatile Thread thread;
    }

    /** The ring body: wait for a token, pass it on decremented; 0 ends the ring. */
    private static Runnable member(Cell in, Cell out, CountDownLatch ready, CountDownLatch first,
            CountDownLatch done) {
        return () -> {
            in.thread = Thread.currentThread();
            ready.countDown();
            for (;;) {
                int t;
                while ((t = in.token) < 0) {
                    LockSupport.park();
                }
                in.token = -1;
                if (t == 0) {
                    first.countDown();
                    done.countDown();
                    return;
                }
                out.token = t - 1;
                LockSupport.unpark(out.thread);
            }
        };
    }

    private interface Starter {
        void start(Runnable r);
    }

    private static double[] ring(int hops, Starter starter) throws InterruptedException {
        int k = 503;
        Cell[] cells = new Cell[k];
        for (int i = 0; i < k; i++) {
            cells[i] = new Cell();
        }
        CountDownLatch ready = new CountDownLatch(k);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(k);
        for (int i = 0; i < k; i++) {
            starter.start(member(cells[i], cells[(i + 1) % k], ready, first, done));
        }
        ready.await();
        long t0 = System.nanoTime();
        cells[0].token = hops;
        LockSupport.unpark(cells[0].thread);
        first.await();                                      // the member that saw 0 ends the run
        double perHop = (System.nanoTime() - t0) / (double) hops;
        for (Cell c : cells) {                              // the others end too
            c.token = 0;
            LockSupport.unpark(c.thread);
        }
        done.await();
        return new double[] {perHop, Double.NaN};
    }

    private static double[] vtRing(int hops) throws InterruptedException {
        return ring(hops, r -> Thread.ofVirtual().start(r));
    }

    private static double[] goRing(GoRuntime rt, int hops) throws InterruptedException {
        return ring(hops, r -> rt.go(r::run));
    }

    private static double[] chanRing(GoRuntime rt, int hops) {
        return new double[] {TraceOverhead.threadRing(rt, hops), Double.NaN};
    }

    // ------------------------------------------------------------------ spawn-and-park

    private static double[] vtSpawn(int n) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        Runnable body = () -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        };
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(body);
        }
        started.await();
        long t1 = System.nanoTime();
        long gc1 = gcMillis();
        gate.countDown();
        done.await();
        return new double[] {(t1 - t0) / (double) n, (gc1 - gc0) * 1e6 / n};
    }

    private static double[] goSpawn(GoRuntime rt, int n) {
        double[] d = new double[2];
        rt.main(() -> {
            WaitGroup started = new WaitGroup();
            WaitGroup done = new WaitGroup();
            Chan<Object> gate = Chan.make();
            started.add(n);
            done.add(n);
            Task body = () -> {
                started.done();
                gate.recv();
                done.done();
            };
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                rt.go(body);
            }
            started.await();
            long t1 = System.nanoTime();
            long gc1 = gcMillis();
            gate.close();
            done.await();
            d[0] = (t1 - t0) / (double) n;
            d[1] = (gc1 - gc0) * 1e6 / n;
        });
        return d;
    }
}
