package dev.goloom.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.sched.WaitReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder round trip: events in through Trace, the file out through TraceData. */
class TraceRecorderTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryEventNameAndReason() throws Exception {
        Path f = dir.resolve("t.trace");
        TraceRecorder r = TraceRecorder.start(f, 2, List.of());
        assertTrue(Trace.on);
        Trace.emit(Trace.GO_CREATE, 0, 7, 1, "worker");
        Trace.emit(Trace.GO_START, 0, 7, 0);
        Trace.emit(Trace.GO_BLOCK, 0, 7, WaitReason.CHAN_RECEIVE.ordinal());
        Trace.emit(Trace.GO_UNBLOCK, -1, 7, 3);
        Trace.emit(Trace.STEAL, 1, 0, 5);
        Trace.emit(Trace.GO_START, 1, 7, 0);
        Trace.emit(Trace.GO_END, 1, 7, 0);
        r.stop();
        assertFalse(Trace.on);
        assertEquals(null, TraceRecorder.active());

        TraceData d = TraceData.read(f);
        assertEquals(2, d.maxProcs());
        assertEquals("worker", d.names().get(7L));
        assertTrue(d.endTs() >= 0);
        List<Integer> kinds = d.events().stream().map(TraceData.Event::kind).toList();
        assertEquals(List.of(Trace.GO_CREATE, Trace.GO_START, Trace.GO_BLOCK, Trace.GO_UNBLOCK,
                Trace.STEAL, Trace.GO_START, Trace.GO_END), kinds);
        TraceData.Event block = d.events().get(2);
        assertEquals("chan receive", d.reason(block.arg()));
        assertEquals(-1, d.events().get(3).p());
        assertEquals(5, d.events().get(4).arg());
        for (int i = 1; i < d.events().size(); i++) {
            assertTrue(d.events().get(i - 1).ts() <= d.events().get(i).ts());
        }

        Timeline t = new Timeline(d);
        assertEquals(2, t.procs);
        assertEquals(2, t.spans.size());
        assertEquals("chan receive", t.spans.get(0).why());
        assertEquals("end", t.spans.get(1).why());
    }

    @Test
    void oneTraceAtATime() throws Exception {
        TraceRecorder r = TraceRecorder.start(dir.resolve("a.trace"), 1, List.of());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TraceRecorder.start(dir.resolve("b.trace"), 1, List.of()));
            assertTrue(e.getMessage().contains("tracing is already enabled"));
            assertFalse(Files.exists(dir.resolve("b.trace")));
            assertThrows(IllegalStateException.class, () -> TraceRecorder.start(dir.resolve("a.trace"), 1, List.of()));
            assertTrue(Files.exists(dir.resolve("a.trace")), "the running trace's file is untouched");
        } finally {
            r.stop();
        }
        r.stop();   // idempotent
        TraceRecorder.start(dir.resolve("c.trace"), 1, List.of()).stop();
        assertTrue(TraceData.read(dir.resolve("a.trace")).endTs() >= 0, "a.trace is complete");
    }

    /** Many threads, each owning one P, plus shared-buffer writers: nothing lost, order per P kept. */
    @Test
    void concurrentWritersLoseNothing() throws Exception {
        Path f = dir.resolve("c.trace");
        int ps = 4, perP = 20_000, shared = 3, perShared = 5_000;
        TraceRecorder r = TraceRecorder.start(f, ps, List.of());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int p = 0; p < ps; p++) {
            int pp = p;
            ts.add(Thread.ofPlatform().start(() -> {
                await(go);
                for (int i = 1; i <= perP; i++) {
                    Trace.emit(Trace.GO_SCHED, pp, 1000L * (pp + 1), i);
                }
            }));
        }
        for (int s = 0; s < shared; s++) {
            int ss = s;
            ts.add(Thread.ofPlatform().start(() -> {
                await(go);
                for (int i = 1; i <= perShared; i++) {
                    Trace.emit(Trace.TIMER_FIRE, -1, 99_000L + ss, i);
                }
            }));
        }
        // a thread that breaks contract C1 (writes to P 0 while P 0's owner writes) must not lose events
        ts.add(Thread.ofPlatform().start(() -> {
            await(go);
            for (int i = 1; i <= perShared; i++) {
                Trace.emit(Trace.GO_SCHED, 0, 77_000L, i);
            }
        }));
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        r.stop();
        TraceData d = TraceData.read(f);
        Map<Long, Long> lastArg = new HashMap<>();
        Map<Long, Integer> count = new HashMap<>();
        for (TraceData.Event e : d.events()) {
            count.merge(e.goid(), 1, Integer::sum);
            Long prev = lastArg.put(e.goid(), e.arg());
            if (e.goid() < 77_000L) {     // one writer per P: the time order is the emission order
                assertEquals(prev == null ? 1 : prev + 1, e.arg(), "order of goid " + e.goid());
            }
        }
        for (int p = 0; p < ps; p++) {
            assertEquals(perP, count.get(1000L * (p + 1)));
        }
        for (int s = 0; s < shared; s++) {
            assertEquals(perShared, count.get(99_000L + s));
        }
        assertEquals(perShared, count.get(77_000L));
        long size = Files.size(f);
        int n = d.events().size();
        assertTrue(size < n * 8L, "compact: " + size + " bytes for " + n + " events");
    }

    /**
     * Untimed events (GoUnblock) are spread between their P's timed neighbours, in order, and a
     * GoUnblock is never placed after the GoStart it caused on another P.
     */
    @Test
    void untimedEventsArePlacedBetweenTheirNeighbours() throws Exception {
        Path f = dir.resolve("u.trace");
        // P indexes no runtime of the test JVM uses: the recorder is per JVM, and a scheduler
        // running elsewhere would put its own events between these
        int p0 = TraceRecorder.MAX_P - 2;
        int p1 = TraceRecorder.MAX_P - 1;
        TraceRecorder r = TraceRecorder.start(f, 2, List.of());
        long t0 = System.nanoTime() + 1_000_000;
        // p0: goroutine 10 runs 3 us and readies 11 and 12 on the way
        Trace.emitAt(Trace.GO_START, p0, 10, 0, t0);
        assertEquals(0, Trace.emitAt(Trace.GO_UNBLOCK, p0, 11, 10, Trace.UNTIMED), "no clock read");
        Trace.emitAt(Trace.GO_UNBLOCK, p0, 12, 10, Trace.UNTIMED);
        Trace.emitAt(Trace.GO_BLOCK, p0, 10, WaitReason.CHAN_RECEIVE.ordinal(), t0 + 3000);
        // p0 again: 20 runs 1 us and readies 21, which p1 starts 100 ns into 20's slice
        Trace.emitAt(Trace.GO_START, p0, 20, 0, t0 + 10_000);
        Trace.emitAt(Trace.GO_UNBLOCK, p0, 21, 20, Trace.UNTIMED);
        Trace.emitAt(Trace.GO_BLOCK, p0, 20, WaitReason.CHAN_RECEIVE.ordinal(), t0 + 11_000);
        Trace.emitAt(Trace.GO_START, p1, 21, 0, t0 + 10_100);
        // an untimed event with no P has no neighbours to go by: it is timed after all
        assertTrue(Trace.emitAt(Trace.GO_UNBLOCK, -1, 30, 0, Trace.UNTIMED) > 0);
        // an untimed event after its P's last timed one goes at that time
        Trace.emitAt(Trace.GO_UNBLOCK, p1, 31, 21, Trace.UNTIMED);
        r.stop();

        TraceData d = TraceData.read(f);
        Map<Long, Long> unblockAt = new HashMap<>();
        Map<Long, Long> startAt = new HashMap<>();
        List<TraceData.Event> mine = d.events().stream()
                .filter(e -> e.p() == p0 || e.p() == p1 || e.goid() == 30 && e.kind() == Trace.GO_UNBLOCK)
                .toList();
        for (TraceData.Event e : mine) {
            if (e.kind() == Trace.GO_UNBLOCK) {
                unblockAt.put(e.goid(), e.ts());
            } else if (e.kind() == Trace.GO_START) {
                startAt.put(e.goid(), e.ts());
            }
        }
        long s10 = startAt.get(10L);
        assertEquals(s10 + 1000, unblockAt.get(11L));
        assertEquals(s10 + 2000, unblockAt.get(12L));
        assertEquals(startAt.get(21L) - 1, unblockAt.get(21L), "clamped before the start it caused");
        assertTrue(unblockAt.get(21L) >= startAt.get(20L));
        assertEquals(startAt.get(21L), unblockAt.get(31L));
        assertTrue(unblockAt.containsKey(30L));
        List<Long> order = mine.stream().filter(e -> e.goid() != 30).map(TraceData.Event::goid).toList();
        assertEquals(List.of(10L, 11L, 12L, 10L, 20L, 21L, 21L, 31L, 20L), order);
    }

    @Test
    void offCostsNothingAndRecordsNothing() {
        assertFalse(Trace.on);
        Trace.emit(Trace.GO_START, 0, 1, 0);   // no sink: a no-op
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
