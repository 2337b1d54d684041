package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
import dev.goloom.GoroutineState;
import dev.goloom.internal.sched.Dumps;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Go's traceback format, the grouped debug=1 form, and the cost of dumping many goroutines. */
class DumpsTest {
    /** Parks the calling goroutine in Park with {@code why} until {@code release} is set. */
    static void parkUntil(AtomicBoolean release, WaitReason why, CountDownLatch parked) {
        parked.countDown();
        while (!release.get()) {
            Park.park(release, why);
        }
    }

    @Test
    void headerFramesNameAndCreatedBy() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("dumps").maxProcs(2).build()) {
            AtomicBoolean release = new AtomicBoolean();
            CountDownLatch parked = new CountDownLatch(2);
            var named = rt.go("worker", () -> parkUntil(release, WaitReason.CHAN_RECEIVE, parked));
            var anon = rt.go(() -> parkUntil(release, WaitReason.MUTEX_LOCK, parked));
            parked.await();
            waitParked(rt, named.id(), anon.id());
            String d = rt.dump();
            try {
                String block = block(d, named.id());
                assertTrue(block.startsWith("goroutine " + named.id() + " [chan receive]:\n"), block);
                assertTrue(block.contains("\n# labels: {\"name\":\"worker\"}\n"), block);
                assertTrue(Pattern.compile("\\ndev\\.goloom\\.debug\\.DumpsTest\\.parkUntil\\(\\.\\.\\.\\)\\n\\tDumpsTest\\.java:\\d+\\n")
                        .matcher(block).find(), block);
                assertTrue(block.contains("\ncreated by dev.goloom.debug.DumpsTest"), block);
                assertTrue(!block.contains("dev.goloom.internal."), "runtime frames hidden:\n" + block);
                assertTrue(block.endsWith("\n\n"), "blank line after each goroutine");
                String other = block(d, anon.id());
                assertTrue(other.startsWith("goroutine " + anon.id() + " [sync.Mutex.Lock]:\n"), other);
                assertTrue(!other.contains("# labels"), "no name line without a name");

                String g = Goroutines.dumpGrouped(rt);
                assertTrue(g.startsWith("goroutine profile: total 2\n"), g);
                assertTrue(g.contains("1 @ [chan receive]\n#\tdev.goloom.debug.DumpsTest.parkUntil\tDumpsTest.java:"), g);
            } finally {
                release.set(true);
                Park.ready(((dev.goloom.internal.sched.G) named).thread());
                Park.ready(((dev.goloom.internal.sched.G) anon).thread());
            }
        }
    }

    @Test
    void bracketShowsMinutesPastOneMinute() {
        StackTraceElement[] none = new StackTraceElement[0];
        assertEquals("chan send", Dumps.bracket(info("chan send", Duration.ofSeconds(59))));
        assertEquals("chan send, 1 minute", Dumps.bracket(info("chan send", Duration.ofSeconds(61))));
        assertEquals("select, 3 minutes", Dumps.bracket(info("select", Duration.ofMinutes(3).plusSeconds(5))));
        String s = Dumps.format(List.of(new GoroutineInfo(9, "goroutine-9", GoroutineState.RUNNABLE, "runnable",
                Duration.ZERO, none)), null);
        assertEquals("goroutine 9 [runnable]:\n\n", s);
    }

    @Test
    void groupingCountsIdenticalStacksMostFirst() {
        StackTraceElement a = new StackTraceElement("p.A", "run", "A.java", 10);
        StackTraceElement b = new StackTraceElement("p.B", "run", "B.java", 20);
        List<GoroutineInfo> gs = List.of(
                new GoroutineInfo(1, "x", GoroutineState.WAITING, "chan send", Duration.ZERO, new StackTraceElement[] {a}),
                new GoroutineInfo(2, "y", GoroutineState.WAITING, "chan send", Duration.ZERO, new StackTraceElement[] {b}),
                new GoroutineInfo(3, "z", GoroutineState.WAITING, "chan send", Duration.ZERO, new StackTraceElement[] {b}));
        assertEquals("goroutine profile: total 3\n"
                + "2 @ [chan send]\n#\tp.B.run\tB.java:20\n\n"
                + "1 @ [chan send]\n#\tp.A.run\tA.java:10\n\n", Dumps.grouped(gs));
    }

    /** 100,000 parked goroutines: the dump is measured (and printed), asserted only under stress. */
    @Test
    void dumpOfManyParkedGoroutinesIsFast() throws Exception {
        long ms = DumpsStressTest.timeDump(100_000);
        System.out.println("dump of 100000 parked goroutines: " + ms + " ms");
    }

    static GoroutineInfo info(String reason, Duration d) {
        return new GoroutineInfo(1, "goroutine-1", GoroutineState.WAITING, reason, d, new StackTraceElement[0]);
    }

    static String block(String dump, long id) {
        int i = dump.indexOf("goroutine " + id + " [");
        assertTrue(i >= 0, "goroutine " + id + " in dump:\n" + dump);
        int j = dump.indexOf("\n\n", i);
        return dump.substring(i, j + 2);
    }

    static void waitParked(GoRuntime rt, long... ids) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        outer:
        while (System.nanoTime() < deadline) {
            for (long id : ids) {
                boolean ok = rt.goroutines().stream().anyMatch(i -> i.id() == id && i.state() == GoroutineState.WAITING
                        && i.stack().length > 0);
                if (!ok) {
                    Thread.sleep(1);   // polling an observable state, not synchronizing
                    continue outer;
                }
            }
            return;
        }
        throw new AssertionError("goroutines did not park:\n" + rt.dump());
    }
}
