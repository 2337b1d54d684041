package dev.goloom.internal.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The local run queue driven from plain threads, as Go's export_test.go drives runq. */
class RunQueueTest {
    private final boolean[] inherit = new boolean[1];

    @Test
    void fifoAndRunnextFirst() {
        RunQueue<Integer> q = new RunQueue<>();
        assertTrue(q.isEmpty());
        q.put(1, false);
        q.put(2, false);
        q.put(3, true);
        assertEquals(3, q.size());
        assertEquals(3, q.get(inherit));
        assertTrue(inherit[0], "runnext inherits the time slice");
        assertEquals(1, q.get(inherit));
        assertFalse(inherit[0]);
        assertEquals(2, q.get(inherit));
        assertNull(q.get(inherit));
        assertTrue(q.isEmpty());
        q.checkInvariants();
    }

    @Test
    void putNextKicksOldRunnextToTail() {
        RunQueue<Integer> q = new RunQueue<>();
        q.put(1, true);
        q.put(2, true);   // 1 goes to the ring
        q.put(3, true);   // 2 goes to the ring
        assertEquals(3, q.get(inherit));
        assertEquals(1, q.get(inherit));
        assertEquals(2, q.get(inherit));
        assertNull(q.get(inherit));
    }

    @Test
    void overflowHandsBackHalfPlusOneInOrder() {
        RunQueue<Integer> q = new RunQueue<>();
        for (int i = 0; i < RunQueue.SIZE; i++) {
            assertNull(q.put(i, false));
        }
        Object[] batch = q.put(RunQueue.SIZE, false);
        assertNotNull(batch);
        assertEquals(RunQueue.SIZE / 2 + 1, batch.length);
        for (int i = 0; i < RunQueue.SIZE / 2; i++) {
            assertEquals(i, batch[i]);
        }
        assertEquals(RunQueue.SIZE, batch[RunQueue.SIZE / 2]);
        assertEquals(RunQueue.SIZE / 2, q.size());
        assertEquals(RunQueue.SIZE / 2, q.get(inherit));
        q.checkInvariants();
    }

    @Test
    void stealTakesHalfRoundedUp() {
        for (int k = 1; k <= 20; k++) {
            RunQueue<Integer> victim = new RunQueue<>();
            RunQueue<Integer> thief = new RunQueue<>();
            for (int i = 0; i < k; i++) {
                victim.put(i, false);
            }
            Integer first = thief.steal(victim, false);
            int stolen = k - k / 2;
            assertNotNull(first);
            assertEquals(stolen, thief.size() + 1, "k=" + k);
            assertEquals(k - stolen, victim.size());
            // the thief runs the last stolen element first, keeps the rest in order
            assertEquals(stolen - 1, first);
            for (int i = 0; i < stolen - 1; i++) {
                assertEquals(i, thief.get(inherit));
            }
            victim.checkInvariants();
            thief.checkInvariants();
        }
    }

    @Test
    void runnextIsStolenOnlyWhenAskedAndRingEmpty() {
        RunQueue<Integer> victim = new RunQueue<>();
        RunQueue<Integer> thief = new RunQueue<>();
        victim.put(7, true);
        assertNull(thief.steal(victim, false));
        assertEquals(7, thief.steal(victim, true));
        assertTrue(victim.isEmpty());
    }

    @Test
    void drainTakesEverything() {
        RunQueue<Integer> q = new RunQueue<>();
        q.put(1, false);
        q.put(2, true);
        List<Integer> out = new ArrayList<>();
        assertEquals(2, q.drain(out::add));
        assertArrayEquals(new Object[] {1, 2}, out.toArray());
    }

    /**
     * The owner puts and gets while stealers steal half at a time into their own queues:
     * every element is taken exactly once (I3), none lost, none twice.
     */
    @Test
    void concurrentStealingLosesAndDuplicatesNothing() throws Exception {
        int mult = Integer.getInteger("goloom.stress.multiplier", 1);
        runOwnerAndThieves(200_000 * mult, 3);
    }

    static void runOwnerAndThieves(int total, int thieves) throws Exception {
        RunQueue<Integer> owner = new RunQueue<>();
        BitSet seen = new BitSet(total);
        List<Integer> dup = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < thieves; t++) {
            Thread th = new Thread(() -> {
                RunQueue<Integer> mine = new RunQueue<>();
                boolean[] inh = new boolean[1];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    boolean finished = done.get();
                    Integer x = mine.steal(owner, true);
                    if (x == null && finished && owner.isEmpty()) {
                        break;
                    }
                    while (x != null) {
                        record(seen, dup, x);
                        x = mine.get(inh);
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        boolean[] inh = new boolean[1];
        List<Object> overflow = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Object[] b = owner.put(i, (i & 7) == 0);
            if (b != null) {
                overflow.addAll(List.of(b));
            }
            if ((i & 3) == 0) {
                Integer x = owner.get(inh);
                if (x != null) {
                    record(seen, dup, x);
                }
            }
        }
        Integer x;
        while ((x = owner.get(inh)) != null) {
            record(seen, dup, x);
        }
        done.set(true);
        for (Thread th : ts) {
            th.join();
        }
        for (Object o : overflow) {
            record(seen, dup, (Integer) o);
        }
        assertTrue(dup.isEmpty(), "taken twice: " + dup.subList(0, Math.min(10, dup.size())));
        assertEquals(total, seen.cardinality(), "lost " + (total - seen.cardinality()));
        owner.checkInvariants();
    }

    private static void record(BitSet seen, List<Integer> dup, int x) {
        synchronized (seen) {
            if (seen.get(x)) {
                dup.add(x);
            }
            seen.set(x);
        }
    }
}
