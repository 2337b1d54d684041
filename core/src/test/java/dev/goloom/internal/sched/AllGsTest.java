package dev.goloom.internal.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The goroutine registry against a model, from plain threads. */
class AllGsTest {
    private static G g(long id) {
        return new G(null, id, null, null, 0);
    }

    /**
     * What goleave does, then onExit's second remove, which must count nothing: the tests'
     * size checks against their models catch an end counted twice.
     */
    private static void end(AllGs r, G x) {
        r.remove(x);
        assertTrue(x.exited);
        assertEquals(G.G_DEAD, x.status);
        r.remove(x);
    }

    @Test
    void addRemoveReuseAgainstAModel() {
        AllGs r = new AllGs();
        List<G> model = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(42);
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            if (model.isEmpty() || rnd.nextInt(3) != 0) {
                G x = g(next++);
                r.add(x);
                model.add(x);
            } else {
                G x = model.remove(rnd.nextInt(model.size()));
                end(r, x);
                assertNull(r.get(x.goid));
            }
            if (step % 10_000 == 0) {
                r.checkInvariants();
                assertEquals(model.size(), r.size());
            }
        }
        r.checkInvariants();
        assertEquals(model.size(), r.snapshot().size());
        for (G x : model) {
            assertSame(x, r.get(x.goid));
        }
        for (G x : model) {
            end(r, x);
        }
        assertTrue(r.isEmpty());
        assertEquals(0, r.snapshot().size());
        r.checkInvariants();
    }

    @Test
    void endedGoroutinesSlotsAreReclaimed() {
        AllGs r = new AllGs();
        List<G> live = new ArrayList<>();
        for (long id = 1; id <= 1_000_000; id++) {
            G x = g(id);
            r.add(x);
            live.add(x);
            if (live.size() > 1_000) {
                end(r, live.remove(0));
            }
        }
        r.checkInvariants();
        assertEquals(1_000, r.size());
        assertEquals(1_000, r.snapshot().size());
        // 1,000,000 registrations with at most 1,001 alive at once: the dead slots were reused
        assertTrue(r.capacity() <= 16 * 1024, "capacity " + r.capacity());
        assertNull(r.get(1));
        assertSame(live.get(0), r.get(live.get(0).goid));
    }

    @Test
    void concurrentAddAndRemove() throws Exception {
        AllGs r = new AllGs();
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            long base = t * 1_000_000L;
            ts[t] = new Thread(() -> {
                List<G> mine = new ArrayList<>();
                for (int i = 0; i < 50_000; i++) {
                    G x = g(base + i);
                    r.add(x);
                    mine.add(x);
                    if (i % 2 == 0) {
                        end(r, mine.remove(mine.size() - 1));
                    }
                }
                mine.forEach(x -> end(r, x));
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertTrue(r.isEmpty());
        r.checkInvariants();
    }

    // ------------------------------------------------------------------------- weak slots (LeakCheck)

    @Test
    void weakSlotsRestoreRemoveAndReclaim() {
        AllGs r = new AllGs();
        G kept = g(1);
        G woken = g(2);
        G ended = g(3);
        r.add(kept);
        r.add(woken);
        r.add(ended);
        assertNull(r.weaken(kept));                  // not armed: stays strong
        AllGs.LeakRef[] refs = new AllGs.LeakRef[3];
        int k = 0;
        for (G x : List.of(kept, woken, ended)) {
            x.leakArmed = true;
            refs[k++] = r.weaken(x);
        }
        r.checkInvariants();
        assertEquals(3, r.size());                    // weak slots still count
        assertSame(woken, r.get(2));
        assertEquals(3, r.snapshot().size());
        r.strengthen(woken);                          // a wake-up
        assertTrue(!woken.leakArmed);
        end(r, ended);                                // it ended while weak
        r.checkInvariants();
        assertEquals(2, r.size());
        assertTrue(!r.settle(refs[0]));               // alive: strong again
        assertTrue(!r.settle(refs[1]));               // already strong
        assertTrue(!r.settle(refs[2]));               // already gone
        r.checkInvariants();
        assertSame(kept, r.get(1));
        assertTrue(!kept.leakArmed);

        AllGs.LeakRef lost = weakenUnreachable(r, 4);
        for (int i = 0; i < 10 && !lost.refersTo(null); i++) {
            System.gc();
        }
        assertTrue(lost.refersTo(null), "the GC did not collect an unreachable g");
        assertEquals(3, r.size());
        assertNull(r.get(4));
        assertTrue(r.settle(lost));                   // collected: reclaimed
        assertTrue(!r.settle(lost));                  // once
        assertEquals(2, r.size());
        r.checkInvariants();
        G reuse = g(4 + 16);                          // same stripe: takes the freed slot
        r.add(reuse);
        r.checkInvariants();
        assertSame(reuse, r.get(20));
    }

    /** Registers a g, weakens its slot and forgets it: nothing but the weak entry reaches it. */
    private static AllGs.LeakRef weakenUnreachable(AllGs r, long id) {
        G x = g(id);
        r.add(x);
        x.leakArmed = true;
        return r.weaken(x);
    }
}
