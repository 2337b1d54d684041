package dev.goloom.internal.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** White-box tests of the 4-ary timer heap, driven from the test thread (no runner). */
class TimerHeapTest {
    /** A host that runs nothing and records timerAdded calls. */
    static final class TestHost implements TimerHost {
        final TimerHeap heap = new TimerHeap(this);
        final List<Long> added = new ArrayList<>();

        @Override
        public TimerHeap heapForCurrent() {
            return heap;
        }

        @Override
        public void timerAdded(TimerHeap h, long when) {
            added.add(when);
        }

        @Override
        public List<TimerHeap> heaps() {
            return List.of(heap);
        }
    }

    /** Records (timer id, seq, now) of every firing. */
    static final class Log implements TimerFunc {
        final List<long[]> fired = new ArrayList<>();

        @Override
        public void fire(Timer t, Object arg, long seq, long now) {
            fired.add(new long[] {(Integer) arg, seq, now});
        }
    }

    @Test
    void emptyHeap() {
        TestHost h = new TestHost();
        assertEquals(Long.MAX_VALUE, h.heap.nextWhen());
        assertEquals(0, h.heap.runExpired(Long.MAX_VALUE));
        assertFalse(h.heap.hasWakingTimer());
        h.heap.checkInvariants();
    }

    @Test
    void firesInWhenOrderAndTellsHostOnlyOfNewEarliest() {
        TestHost h = new TestHost();
        Log log = new Log();
        long[] whens = {50, 10, 40, 10, 30, 20, 60, 5};
        for (int i = 0; i < whens.length; i++) {
            assertTrue(h.heap.tryAdd(new Timer(log, i, Timer.WAKES), whens[i], 0));
            h.heap.checkInvariants();
        }
        assertEquals(List.of(50L, 10L, 5L), h.added);
        assertEquals(5, h.heap.nextWhen());
        assertEquals(4, h.heap.runExpired(20));            // 5, 10, 10, 20
        h.heap.checkInvariants();
        assertEquals(30, h.heap.nextWhen());
        assertEquals(4, h.heap.runExpired(100));
        long prev = Long.MIN_VALUE;
        for (long[] f : log.fired) {
            long w = whens[(int) f[0]];
            assertTrue(w >= prev);
            prev = w;
        }
        assertEquals(Long.MAX_VALUE, h.heap.nextWhen());
    }

    @Test
    void periodicTimerSkipsMissedTicks() {
        TestHost h = new TestHost();
        Log log = new Log();
        Timer t = new Timer(log, 0, Timer.PROBE);
        h.heap.tryAdd(t, 100, 10);
        assertEquals(1, h.heap.runExpired(100));
        assertEquals(110, t.when());
        assertEquals(1, h.heap.runExpired(145));            // 110..140 missed: one firing
        assertEquals(150, t.when());
        assertTrue(t.isPending());
        h.heap.checkInvariants();
        assertTrue(h.heap.delete(t));
        assertFalse(t.isPending());
        h.heap.checkInvariants();
        assertEquals(Long.MAX_VALUE, TimerHeap.nextPeriod(Long.MAX_VALUE - 5, 10, 0));
    }

    @Test
    void seqMakesAnInFlightCallbackStale() {
        TestHost h = new TestHost();
        long[] got = new long[1];
        Timer[] self = new Timer[1];
        TimerFunc f = (t, arg, seq, now) -> {
            // stop() while this callback is in flight (taken off the heap): seq becomes stale
            assertFalse(self[0].stop());
            got[0] = seq;
        };
        Timer t = new Timer(f, null, Timer.WAKES);
        self[0] = t;
        h.heap.tryAdd(t, 1, 0);
        h.heap.runExpired(1);
        assertNotEquals(got[0], t.seq());
        long s = t.seq();
        assertTrue(h.heap.tryAdd(t, 5, 0));
        assertTrue(h.heap.modify(t, 3, 0));
        assertEquals(s + 1, t.seq());
        assertTrue(h.heap.delete(t));
        assertEquals(s + 2, t.seq());
        assertFalse(h.heap.delete(t));
        assertFalse(h.heap.modify(t, 1, 0));
    }

    @Test
    void addingAPendingTimerFails() {
        TestHost h = new TestHost();
        TestHost other = new TestHost();
        Timer t = new Timer(new Log(), 0, Timer.NONE);
        assertTrue(h.heap.tryAdd(t, 10, 0));
        assertFalse(h.heap.tryAdd(t, 10, 0));
        assertFalse(other.heap.tryAdd(t, 10, 0));
        assertFalse(other.heap.delete(t));
        h.heap.checkInvariants();
        other.heap.checkInvariants();
    }

    @Test
    void weakTimerIsDroppedOnceItsArgumentIsCollected() throws InterruptedException {
        TestHost h = new TestHost();
        int[] fired = new int[1];
        Timer t = Timer.weak((tm, arg, seq, now) -> fired[0]++, new Object(), Timer.PROBE);
        h.heap.tryAdd(t, 0, 1);
        for (int i = 0; i < 200 && t.arg() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(t.arg(), "referent not collected");
        assertEquals(0, h.heap.runExpired(10));
        assertEquals(0, fired[0]);
        assertFalse(t.isPending());
        h.heap.checkInvariants();
    }

    @Test
    void wakingKinds() {
        TestHost h = new TestHost();
        boolean[] waiting = {false};
        TimerFunc probe = new TimerFunc() {
            @Override
            public void fire(Timer t, Object arg, long seq, long now) {
            }

            @Override
            public boolean canWake(Object arg) {
                return waiting[0];
            }
        };
        Timer none = new Timer(probe, null, Timer.NONE);
        Timer p = new Timer(probe, null, Timer.PROBE);
        Timer w = new Timer(probe, null, Timer.WAKES);
        h.heap.tryAdd(none, 10, 0);
        assertFalse(h.heap.hasWakingTimer());
        h.heap.tryAdd(p, 10, 0);
        assertFalse(h.heap.hasWakingTimer());
        waiting[0] = true;
        assertTrue(h.heap.hasWakingTimer());
        waiting[0] = false;
        h.heap.tryAdd(w, 10, 0);
        assertTrue(h.heap.hasWakingTimer());
        h.heap.delete(w);
        assertFalse(h.heap.hasWakingTimer());
        h.heap.checkInvariants();
    }

    /** Random add / delete / modify / run against a map model; invariants after every step. */
    @Test
    void randomOperationsMatchAModel() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            TestHost h = new TestHost();
            Log log = new Log();
            int k = 200;
            Timer[] ts = new Timer[k];
            for (int i = 0; i < k; i++) {
                ts[i] = new Timer(log, i, rnd.nextInt(3));
            }
            Map<Integer, Long> model = new HashMap<>();
            long now = 0;
            for (int step = 0; step < 3000; step++) {
                int i = rnd.nextInt(k);
                long when = now + rnd.nextInt(1000);
                switch (rnd.nextInt(4)) {
                    case 0 -> assertEquals(!model.containsKey(i), h.heap.tryAdd(ts[i], when, 0) && model.put(i, when) == null);
                    case 1 -> assertEquals(model.remove(i) != null, h.heap.delete(ts[i]));
                    case 2 -> {
                        boolean was = model.containsKey(i);
                        assertEquals(was, h.heap.modify(ts[i], when, 0));
                        if (was) {
                            model.put(i, when);
                        }
                    }
                    default -> {
                        now += rnd.nextInt(300);
                        log.fired.clear();
                        long at = now;
                        long due = model.values().stream().filter(w -> w <= at).count();
                        assertEquals(due, h.heap.runExpired(now));
                        long prev = Long.MIN_VALUE;
                        for (long[] f : log.fired) {
                            long w = model.remove((int) f[0]);
                            assertTrue(w <= now && w >= prev, "order");
                            prev = w;
                        }
                    }
                }
                h.heap.checkInvariants();
                assertEquals(model.size(), h.heap.size());
                assertEquals(model.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE),
                        h.heap.nextWhen());
            }
        }
    }

    @Test
    void aMillionTimers() {
        TestHost h = new TestHost();
        int n = 1_000_000;
        SplittableRandom rnd = new SplittableRandom(7);
        long[] count = new long[1];
        long[] last = {Long.MIN_VALUE};
        boolean[] ordered = {true};
        TimerFunc f = (t, arg, seq, now) -> {
            count[0]++;
            if (t.when() < last[0]) {
                ordered[0] = false;
            }
            last[0] = t.when();
        };
        Timer[] ts = new Timer[n];
        for (int i = 0; i < n; i++) {
            ts[i] = new Timer(f, null, Timer.WAKES);
            h.heap.tryAdd(ts[i], rnd.nextLong(1_000_000_000L), 0);
        }
        h.heap.checkInvariants();
        for (int i = 0; i < n; i += 2) {                 // stop half of them
            assertTrue(h.heap.delete(ts[i]));
        }
        h.heap.checkInvariants();
        assertEquals(n / 2, h.heap.size());
        assertEquals(n / 2, h.heap.runExpired(Long.MAX_VALUE - 1));
        assertEquals(n / 2, count[0]);
        assertTrue(ordered[0]);
        assertEquals(0, h.heap.size());
        assertTrue(h.heap.capacity() <= 64, "arrays shrink: " + h.heap.capacity());
        h.heap.checkInvariants();
    }
}
