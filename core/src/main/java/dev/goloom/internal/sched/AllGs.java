package dev.goloom.internal.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's {@code allgs}: the registry of live goroutines behind numGoroutine, goroutines(), dumps,
 * deadlock and leak detection. Slots in arrays, reused through free lists (Go reuses dead gs
 * through its gFree lists), striped by goroutine id so that a goroutine's registration and
 * removal meet the same stripe and different goroutines rarely contend.
 */
final class AllGs {
    /* Implementation notes
     *
     * Overview
     *   add() takes a free slot of the stripe (goid & MASK), most recently freed first so the
     *   cache line is warm, and stores the g there; remove() clears the slot and pushes it back.
     *   A g remembers its slot (G.slot). No boxing, no node allocation, no hash: a registration
     *   is a lock, two array stores and an unlock. Listing walks the arrays (dumps only).
     *
     * Rejected alternatives
     *   ConcurrentHashMap<Long, G> (the first version): boxing, a node per goroutine, and a
     *   remove that touches a cold bucket and a cold node — 13% of a spawn-and-park run.
     *   Relying on the JDK's thread containers (jdk.trackAllThreads): not a public API, and off
     *   when users turn tracking off.
     *
     * Invariants
     *   I1 slots[g.slot] == g for every registered g of the stripe; every other slot below top is
     *      null and on the free stack exactly once.
     *   I2 live == the number of non-null slots.
     *
     * Locking & memory ordering
     *   Each stripe's SchedLock guards its arrays, top, nfree and live (a leaf lock; held for a few
     *   stores; taken by goroutines and plain threads). size() sums `live` without the locks: a
     *   racy count, as Go's NumGoroutine.
     */
    private static final int STRIPES = 16;
    private static final int MASK = STRIPES - 1;

    private final Stripe[] stripes = new Stripe[STRIPES];

    AllGs() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    private static final class Stripe {
        /** a SchedLock, not a monitor: Ms (timer callbacks start goroutines) and goroutines
         *  (exiting ones) both take it, and a goroutine contending on a monitor unmounts and can
         *  become its designated successor while the Ms that could run it wait on the monitor. */
        final SchedLock lock = new SchedLock();
        G[] slots = new G[64];
        int[] free = new int[64];
        int nfree;
        int top;
        volatile int live;
    }

    void add(G g) {
        Stripe s = stripes[(int) g.goid & MASK];
        s.lock.lock();
        try {
            int i;
            if (s.nfree > 0) {
                i = s.free[--s.nfree];
            } else {
                i = s.top++;
                if (i == s.slots.length) {
                    s.slots = Arrays.copyOf(s.slots, i * 2);
                    s.free = Arrays.copyOf(s.free, i * 2);
                }
            }
            s.slots[i] = g;
            g.slot = i;
            s.live = s.live + 1;
        } finally {
            s.lock.unlock();
        }
    }

    void remove(G g) {
        Stripe s = stripes[(int) g.goid & MASK];
        s.lock.lock();
        try {
            int i = g.slot;
            if (i < 0 || s.slots[i] != g) {
                return; // not registered (or already removed)
            }
            s.slots[i] = null;
            g.slot = -1;
            s.free[s.nfree++] = i;
            s.live = s.live - 1;
        } finally {
            s.lock.unlock();
        }
    }

    /** The live goroutine with this id, or null (a scan of one stripe). */
    G get(long goid) {
        Stripe s = stripes[(int) goid & MASK];
        s.lock.lock();
        try {
            for (int i = 0; i < s.top; i++) {
                G g = s.slots[i];
                if (g != null && g.goid == goid) {
                    return g;
                }
            }
        } finally {
            s.lock.unlock();
        }
        return null;
    }

    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            n += s.live;
        }
        return n;
    }

    boolean isEmpty() {
        for (Stripe s : stripes) {
            if (s.live != 0) {
                return false;
            }
        }
        return true;
    }

    /** A snapshot of every registered goroutine (unordered). */
    List<G> snapshot() {
        List<G> out = new ArrayList<>(size() + 16);
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
                for (int i = 0; i < s.top; i++) {
                    G g = s.slots[i];
                    if (g != null) {
                        out.add(g);
                    }
                }
            } finally {
                s.lock.unlock();
            }
        }
        return out;
    }

    /** White-box check of I1 and I2. */
    void checkInvariants() {
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
                int n = 0;
                boolean[] isFree = new boolean[s.top];
                for (int k = 0; k < s.nfree; k++) {
                    if (isFree[s.free[k]]) {
                        throw new AssertionError("slot freed twice: " + s.free[k]);
                    }
                    isFree[s.free[k]] = true;
                }
                for (int i = 0; i < s.top; i++) {
                    G g = s.slots[i];
                    if (g != null) {
                        n++;
                        if (g.slot != i || isFree[i]) {
                            throw new AssertionError("slot " + i + " of " + g);
                        }
                    } else if (!isFree[i]) {
                        throw new AssertionError("empty slot " + i + " not free");
                    }
                }
                if (n != s.live) {
                    throw new AssertionError("live " + s.live + " counted " + n);
                }
            } finally {
                s.lock.unlock();
            }
        }
    }
}
