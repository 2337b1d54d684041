package dev.goloom.bench;

import dev.goloom.Go;
import dev.goloom.bench.Scenario.Ctx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler scenarios on the thread-based runtimes (goloom, JDK virtual threads, platform
 * threads): spawn-and-park, skynet, yield ping-pong and the raw park/unpark hand-off.
 * Each method is one repetition and returns one value per metric of its scenario.
 */
public final class SchedScenarios {
    /* Implementation notes
     *
     * Overview: bodies parameterized by Units, so goloom, virtual threads and platform threads run
     * the same code; goloom's idiomatic versions (channels, WaitGroup) are in GoloomScenarios, and
     * these park/latch versions serve the seeds table (runtime-neutral hand-off) and the JDK sides.
     *
     * Lineage: ../shared/anchors/jdk Spawn.java, Skynet.java (vt-sq), Pingpong.java (park mode),
     * CtxSwitch.java.
     *
     * Memory ordering: Cell.turn is volatile; the echo's plain write of value happens-before its
     * volatile write of turn = 0, which the driver reads (volatile) before reading value. Sum uses
     * atomics; the last child's decrement to 0 (volatile) precedes the parent's read of sum.
     *
     * Invariants: I1 every unit a body starts has ended when the body returns.
     */

    private SchedScenarios() {
    }

    /** Rounds smaller than this are used while warming up (see the JDK spawn anchor: deopt storms). */
    static final int WARM_SPAWN = 50_000;

    /**
     * spawn-and-park: start n units that each block on a shared gate, until all have started;
     * then release them and wait for all to end. Returns {ns per unit for the start phase,
     * RSS bytes per parked unit, live-heap bytes per parked unit} (the memory figures on the
     * first measured repetition only, as Go's anchor measures them in its first round).
     */
    public static double[] spawn(Units u, Ctx c) throws Exception {
        int n = c.warm() ? Math.min(c.ni(), WARM_SPAWN) : c.ni();
        return u.runIn(() -> spawnRound(u, n, c.first()));
    }

    static double[] spawnRound(Units u, int n, boolean memory) {
        long heap0 = memory ? Proc.heapAfterGc() : 0;
        long rss0 = memory ? Proc.status("VmRSS") : 0;
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        dev.goloom.Task body = () -> {
            started.countDown();
            gate.await();
            done.countDown();
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            u.go(body);
        }
        Units.await(started);
        long t1 = System.nanoTime();
        double rss = Double.NaN;
        double heap = Double.NaN;
        if (memory) {
            rss = (Proc.status("VmRSS") - rss0) / (double) n;
            heap = (Proc.heapAfterGc() - heap0) / (double) n;
        }
        gate.countDown();
        Units.await(done);
        return new double[] {(t1 - t0) / (double) n, rss, heap};
    }

    // ------------------------------------------------------------------------------ skynet

    /** Skynet's node result cell on park/unpark: the sum of the children, the last one wakes the parent. */
    static final class Sum {
        final AtomicLong sum = new AtomicLong();
        final AtomicInteger left;
        final Thread waiter = Thread.currentThread();

        Sum(int children) {
            left = new AtomicInteger(children);
        }

        void add(long v) {
            sum.addAndGet(v);
            if (left.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        }

        long await() {
            while (left.get() != 0) {
                LockSupport.park(this);
            }
            return sum.get();
        }
    }

    /** skynet with park/unpark sum cells (no channel): 1M leaves, fan-out 10. Returns {ms}. */
    public static double[] skynetPark(Units u, Ctx c) throws Exception {
        long size = c.n();
        long want = size * (size - 1) / 2;
        long t0 = System.nanoTime();
        long got = u.runIn(() -> {
            Sum root = new Sum(1);
            u.go(() -> skynetPark(u, root, 0, size));
            return root.await();
        });
        long d = System.nanoTime() - t0;
        Units.check(got == want, "skynet sum " + got + " want " + want);
        return new double[] {d / 1e6};
    }

    static void skynetPark(Units u, Sum parent, long num, long size) {
        if (size == 1) {
            parent.add(num);
            return;
        }
        Sum me = new Sum(10);
        long sub = size / 10;
        for (int i = 0; i < 10; i++) {
            long n = num + i * sub;
            u.go(() -> skynetPark(u, me, n, sub));
        }
        parent.add(me.await());
    }

    /** skynet with one SynchronousQueue per inner node (the anchor's vt-sq). Returns {ms}. */
    public static double[] skynetSq(Units u, Ctx c) throws Exception {
        long size = c.n();
        long want = size * (size - 1) / 2;
        long t0 = System.nanoTime();
        long got = u.runIn(() -> {
            SynchronousQueue<Long> q = new SynchronousQueue<>();
            u.go(() -> skynetSq(u, q, 0, size));
            return q.take();
        });
        long d = System.nanoTime() - t0;
        Units.check(got == want, "skynet sum " + got + " want " + want);
        return new double[] {d / 1e6};
    }

    static void skynetSq(Units u, SynchronousQueue<Long> c, long num, long size) throws InterruptedException {
        if (size == 1) {
            c.put(num);
            return;
        }
        SynchronousQueue<Long> rc = new SynchronousQueue<>();
        long sub = size / 10;
        for (int i = 0; i < 10; i++) {
            long n = num + i * sub;
            u.go(() -> skynetSq(u, rc, n, sub));
        }
        long sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += rc.take();
        }
        c.put(sum);
    }

    // ------------------------------------------------------------------------------ yield

    /** Two units each yield n times: ns per yield (a switch when they share one processor). */
    public static double[] yieldPingPong(Units u, Ctx c) throws Exception {
        int n = c.ni();
        boolean goloom = u == Units.GOLOOM;
        long d = u.runIn(() -> {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(2);
            for (int g = 0; g < 2; g++) {
                u.go(() -> {
                    start.await();
                    for (int i = 0; i < n; i++) {
                        if (goloom) {
                            Go.gosched();
                        } else {
                            Thread.yield();
                        }
                    }
                    done.countDown();
                });
            }
            long t0 = System.nanoTime();
            start.countDown();
            Units.await(done);
            return System.nanoTime() - t0;
        });
        return new double[] {d / (2.0 * n)};
    }

    // ------------------------------------------------------------------------------ hand-off

    /** The shared cell of a park/unpark ping-pong: whose turn it is, and the value. */
    static final class Cell {
        volatile int turn; // 0: driver, 1: echo, 2: stop
        long value; // published by the volatile write of turn
    }

    /**
     * Raw hand-off: two units bounce a turn flag with LockSupport park/unpark (every runtime's
     * wake-up path); returns {ns per one-way hand-off} (round trip / 2).
     */
    public static double[] parkPingPong(Units u, Ctx c) throws Exception {
        int n = c.ni();
        long d = u.runIn(() -> {
            Cell cell = new Cell();
            Thread driver = Thread.currentThread();
            Thread[] echo = new Thread[1];
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            u.go(() -> {
                echo[0] = Thread.currentThread();
                ready.countDown();
                for (;;) {
                    int t;
                    while ((t = cell.turn) == 0) {
                        LockSupport.park();
                    }
                    if (t == 2) {
                        break;
                    }
                    cell.value = cell.value + 1;
                    cell.turn = 0;
                    LockSupport.unpark(driver);
                }
                finished.countDown();
            });
            Units.await(ready);
            Thread e = echo[0];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                cell.turn = 1;
                LockSupport.unpark(e);
                while (cell.turn != 0) {
                    LockSupport.park();
                }
            }
            long t = System.nanoTime() - t0;
            cell.turn = 2;
            LockSupport.unpark(e);
            Units.await(finished);
            Units.check(cell.value == n, "ping-pong value " + cell.value);
            return t;
        });
        return new double[] {d / (2.0 * n)};
    }

    /** The round-trip form of {@link #parkPingPong}: {ns per round trip}. */
    public static double[] parkRoundTrip(Units u, Ctx c) throws Exception {
        return new double[] {parkPingPong(u, c)[0] * 2};
    }
}
