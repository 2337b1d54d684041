package dev.goloom.stress;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.sync.WaitGroup;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link OutOfMemoryFaultTest}: spawns parked goroutines until the heap runs
 * out, catches the {@link OutOfMemoryError}, releases them, and proves the runtime still works.
 * Prints {@code GOLOOM-OOM-OK ...} and exits 0 on success; prints {@code GOLOOM-OOM-FAIL ...}
 * and exits 1 otherwise. Not a test (no JUnit): run by the test with a small heap.
 */
public final class OomChild {
    /**
     * MB of heap the child frees when it catches the error (its second argument overrides it).
     * 16, not 8 as first: the Ms go on starting the goroutines queued when the error came, each
     * takes a stack as it parks, and with 8 MB the main thread itself ran out again before it
     * could close the channel in about one run in 40 (0 in 20 with 16, beside a CPU burner).
     */
    static final int HEADROOM_MB = Integer.getInteger("goloom.oom.headroomMb", 16);

    /** Where the main thread is (an OutOfMemoryError thrown without memory has no stack trace). */
    private static volatile String phase = "spawning";

    private OomChild() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // say where: a bare "Exception in thread main" left a hang or failure unexplained
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            fail("the child's main thread threw, in " + phase + ": " + w);
        }
    }

    private static void run(String[] args) throws Exception {
        long limit = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int headroomMb = args.length < 2 ? HEADROOM_MB
                : args[1].equals("no-headroom") ? 0 : Integer.parseInt(args[1]);
        GoRuntime rt = GoRuntime.builder().name("oom").maxProcs(2).build();
        int baseline = rt.numGoroutine();
        Chan<Void> release = Chan.make();
        long spawned = 0;
        boolean oom = false;
        // headroom to give back once the heap is full: what an application that survives an
        // OutOfMemoryError does (catching it with nothing to free would fail again at once)
        byte[][] ballast = {new byte[headroomMb << 20]};
        try {
            while (spawned < limit) {
                rt.go(release::recv);    // parks until release is closed
                spawned++;
            }
        } catch (OutOfMemoryError e) {
            ballast[0] = null;           // the heap is full of parked goroutines: free the headroom
            oom = true;
        }
        if (!oom) {
            fail("no OutOfMemoryError after " + spawned + " goroutines");
        }
        phase = "close of the release channel";
        release.close();
        phase = "waiting for the released goroutines";
        System.out.println("goloom-oom: OutOfMemoryError after " + spawned + " goroutines");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rt.numGoroutine() > baseline) {
            if (System.nanoTime() > deadline) {
                fail("goroutines did not end after release: " + rt.numGoroutine() + " live (baseline "
                        + baseline + ")\n" + rt.dump().lines().limit(60).reduce("", (a, b) -> a + b + "\n"));
            }
            Thread.sleep(1);             // polling a count nothing can wait on
        }
        // the runtime still works: many goroutines, ping-pong, back to baseline
        int[] sum = new int[1];
        phase = "the runtime's work after the error";
        rt.main(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            rt.go(() -> {
                for (Integer v : ping) {
                    pong.send(v + 1);
                }
                pong.close();
            });
            for (int i = 0; i < 10_000; i++) {
                ping.send(i);
                if (pong.recv() != i + 1) {
                    throw new AssertionError("ping-pong out of step at " + i);
                }
            }
            ping.close();
            pong.recv();                 // null: closed
            WaitGroup wg = new WaitGroup();
            Chan<Integer> ch = Chan.make(16);
            for (int i = 1; i <= 1000; i++) {
                int v = i;
                wg.go(() -> ch.send(v));
            }
            for (int i = 0; i < 1000; i++) {
                sum[0] += ch.recv();
            }
            wg.await();
        });
        if (sum[0] != 500_500) {
            fail("sum " + sum[0] + " != 500500 after OOM");
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rt.numGoroutine() != baseline) {
            if (System.nanoTime() > deadline) {
                fail("numGoroutine " + rt.numGoroutine() + " != baseline " + baseline);
            }
            Thread.sleep(1);
        }
        boolean sysmonAlive = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(th -> th.getName().equals("goloom-sysmon") && th.isAlive());
        // reported, not failed on: sysmon can die of an OutOfMemoryError thrown while it prints
        // the previous one (see docs/TESTING.md "What they have found")
        System.out.println("goloom-oom: sysmon alive: " + sysmonAlive);
        phase = "close of the runtime";
        rt.close();
        System.out.println("GOLOOM-OOM-OK spawned=" + spawned + " baseline=" + baseline);
        System.exit(0);
    }

    private static void fail(String why) {
        System.out.println("GOLOOM-OOM-FAIL " + why);
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }
}
