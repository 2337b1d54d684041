package dev.goloom.internal.sched;

import java.lang.ref.WeakReference;
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
     *   Weak slots (only during a leak check, LeakCheck): weaken(g) moves a parked g from
     *   slots[i] to weak[i] (a LeakRef, a WeakReference that remembers goid and slot), so that
     *   the registry no longer keeps it alive; strengthen(g) (the waker, through G.execute) and
     *   settle(ref) (the checker, after the GC) move it back, or, if the GC cleared the ref,
     *   settle frees the slot: the goroutine was unreachable, hence leaked, and it is gone.
     *   A weak slot still counts as live (size()) until settled.
     *
     * Rejected alternatives
     *   Striping by the creating P (tried in session 2): a fan-out from one goroutine then puts
     *   every add and the stolen goroutines' exits on ONE lock that both cores hammer; the
     *   WaitGroup fan-out got slower (~550 ns a goroutine against ~370 by goid). By goid the
     *   traffic is spread over 16 locks; each operation still tends to miss in cache (a third
     *   of a fan-out profile). What would remove it is Go's way: never unregister on exit (dead
     *   gs stay until their slot is reused, the count kept per M), left for later.
     *   ConcurrentHashMap<Long, G> (the first version): boxing, a node per goroutine, and a
     *   remove that touches a cold bucket and a cold node — 13% of a spawn-and-park run.
     *   Relying on the JDK's thread containers (jdk.trackAllThreads): not a public API, and off
     *   when users turn tracking off.
     *   A WeakReference per goroutine (or per park) all the time: an allocation and a reference
     *   for the GC to process per goroutine, for a check that runs rarely.
     *
     * Invariants
     *   I1 for every registered g of the stripe exactly one of: slots[g.slot] == g, or
     *      weak[g.slot] refers to g; every other slot below top has both entries null (a weak
     *      entry whose referent was collected counts as registered until settle() frees it) and
     *      is on the free stack exactly once.
     *   I2 live == the number of non-null slots plus the number of non-null weak entries.
     *   I3 g.leakArmed is cleared (under the stripe lock) whenever weak[g.slot] is given back to
     *      slots[g.slot]; weaken() moves a g only while it is armed.
     *
     * Locking & memory ordering
     *   Each stripe's SchedLock guards its arrays, top, nfree and live (a leaf lock; held for a few
     *   stores; taken by goroutines and plain threads). size() sums `live` without the locks: a
     *   racy count, as Go's NumGoroutine. g.leakArmed is volatile: the checker's write before it
     *   reads the thread's park state pairs with the waker's read after it changed that state
     *   (see LeakCheck, "Memory ordering").
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
        /** weak entries, parallel to slots; allocated by the first leak check (I1). */
        LeakRef[] weak;
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
                i = s.top;
                if (i == s.slots.length) {
                    // allocate everything before changing anything: an OutOfMemoryError here
                    // must leave the stripe as it was (I1), not a top past the arrays' end
                    G[] slots = Arrays.copyOf(s.slots, i * 2);
                    int[] free = Arrays.copyOf(s.free, i * 2);
                    LeakRef[] weak = s.weak == null ? null : Arrays.copyOf(s.weak, i * 2);
                    s.slots = slots;
                    s.free = free;
                    s.weak = weak;
                }
                s.top = i + 1;
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
            if (i < 0) {
                return; // not registered (or already removed)
            }
            if (s.slots[i] == g) {
                s.slots[i] = null;
            } else if (s.weak != null && s.weak[i] != null && s.weak[i].refersTo(g)) {
                s.weak[i] = null;   // it ended while a leak check held it weakly
            } else {
                return;
            }
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
                LeakRef w = s.weak != null ? s.weak[i] : null;
                if (w != null && w.goid == goid) {
                    return w.get();
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
                LeakRef[] weak = s.weak;
                for (int i = 0; i < s.top; i++) {
                    G g = s.slots[i];
                    if (g == null && weak != null && weak[i] != null) {
                        g = weak[i].get();
                    }
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

    // ------------------------------------------------------------------------- leak check

    /** A weak registry entry: the g, weakly, and where it was registered. */
    static final class LeakRef extends WeakReference<G> {
        final long goid;
        final int slot;

        LeakRef(G g) {
            super(g);
            this.goid = g.goid;
            this.slot = g.slot;
        }
    }

    /**
     * Makes the registry hold {@code g} weakly, if it is still armed (no wake-up since the
     * checker armed it) and registered; returns the weak entry, or null.
     */
    LeakRef weaken(G g) {
        Stripe s = stripes[(int) g.goid & MASK];
        s.lock.lock();
        try {
            int i = g.slot;
            if (!g.leakArmed || i < 0 || s.slots[i] != g) {
                return null;
            }
            if (s.weak == null) {
                s.weak = new LeakRef[s.slots.length];
            }
            LeakRef r = new LeakRef(g);
            s.weak[i] = r;
            s.slots[i] = null;
            return r;
        } finally {
            s.lock.unlock();
        }
    }

    /** {@code g} was woken: disarm it and hold it strongly again (keeps I3). Called by G.execute. */
    void strengthen(G g) {
        Stripe s = stripes[(int) g.goid & MASK];
        s.lock.lock();
        try {
            g.leakArmed = false;
            int i = g.slot;
            if (i >= 0 && s.weak != null && s.weak[i] != null && s.weak[i].refersTo(g)) {
                s.slots[i] = g;
                s.weak[i] = null;
            }
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * After the GC: if {@code r}'s goroutine was collected, frees its slot and returns true (it
     * leaked and is gone); else holds it strongly again (if still registered) and returns false.
     */
    boolean settle(LeakRef r) {
        Stripe s = stripes[(int) r.goid & MASK];
        s.lock.lock();
        try {
            int i = r.slot;
            if (s.weak == null || s.weak[i] != r) {
                return false;   // woken (strengthen) or ended (remove) meanwhile
            }
            s.weak[i] = null;
            G g = r.get();
            if (g != null) {
                g.leakArmed = false;   // keeps I3
                s.slots[i] = g;
                return false;
            }
            s.free[s.nfree++] = i;
            s.live = s.live - 1;
            return true;
        } finally {
            s.lock.unlock();
        }
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
                    LeakRef w = s.weak != null ? s.weak[i] : null;
                    if (g != null && w != null) {
                        throw new AssertionError("slot " + i + " both strong and weak");
                    }
                    if (g != null) {
                        n++;
                        if (g.slot != i || isFree[i]) {
                            throw new AssertionError("slot " + i + " of " + g);
                        }
                    } else if (w != null) {
                        n++;
                        if (w.slot != i || isFree[i]) {
                            throw new AssertionError("weak slot " + i + " of goroutine " + w.goid);
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
