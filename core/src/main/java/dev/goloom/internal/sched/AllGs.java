package dev.goloom.internal.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's {@code allgs}: the registry of goroutines behind numGoroutine, goroutines(), dumps,
 * deadlock and leak detection. Slots in arrays, striped by goroutine id. As in Go, a goroutine
 * that ends is not taken out: its slot is reclaimed when its stripe next runs out of room, and
 * only a striped counter records the exit.
 */
final class AllGs {
    /* Implementation notes
     *
     * Overview
     *   add() takes a slot of the stripe (goid & MASK) under the stripe's lock: from the free
     *   stack, else the next one past top; when both are used up, reclaim() sweeps the stripe,
     *   frees the slots of dead gs, and doubles the arrays if that freed less than a quarter. A g
     *   remembers its slot (G.slot). remove() (the last thing a goroutine does) sets g.exited
     *   once (G.markExited; a second call does nothing) and counts the exit, on a padded
     *   per-stripe counter. Listing walks the arrays and skips ended gs (dumps, leak and
     *   deadlock checks only).
     *
     *   Weak slots (only during a leak check, LeakCheck): weaken(g) moves a parked g from
     *   slots[i] to weak[i] (a LeakRef, a WeakReference that remembers goid and slot), so that
     *   the registry no longer keeps it alive; strengthen(g) (the waker, through G.execute) and
     *   settle(ref) (the checker, after the GC) move it back, or, if the GC cleared the ref,
     *   settle frees the slot and counts an exit: the goroutine was unreachable, hence leaked,
     *   and it is gone. A g held weakly cannot end: it must be woken (strengthen) to run;
     *   remove() still drops the weak entry of a g that ends armed.
     *
     * Rejected alternatives
     *   Unregistering on exit (sessions 1-3: clear the slot, push it on the free stack, under
     *   the stripe lock). In a WaitGroup fan-out the spawning goroutine adds on one core while
     *   the other core's exits remove, on the same 16 locks and arrays: 6-11% of the CPU profile,
     *   half of it in the exits' lock (a contended SchedLock even yields). Now an exit touches
     *   one padded counter. The price is Go's too: a dead g (with its virtual thread object)
     *   stays reachable until its stripe fills up again.
     *   Striping by the creating P (tried in session 2): a fan-out from one goroutine then puts
     *   every add on ONE lock; by goid the traffic is spread over 16.
     *   ConcurrentHashMap<Long, G> (the first version): boxing, a node per goroutine, and a
     *   remove that touches a cold bucket and a cold node — 13% of a spawn-and-park run.
     *   Relying on the JDK's thread containers (jdk.trackAllThreads): not a public API, and off
     *   when users turn tracking off.
     *   A WeakReference per goroutine (or per park) all the time: an allocation and a reference
     *   for the GC to process per goroutine, for a check that runs rarely.
     *
     * Invariants
     *   I1 for every registered g of the stripe that has not ended exactly one of:
     *      slots[g.slot] == g, or weak[g.slot] refers to g (a weak entry whose referent was
     *      collected counts as registered until settle() frees it). Every other slot below top
     *      holds a dead g (awaiting reclaim) or has both entries null and is on the free stack
     *      exactly once.
     *   I2 size() == registrations - exits == the goroutines registered and not yet ended.
     *   I3 g.leakArmed is cleared (under the stripe lock) whenever weak[g.slot] is given back to
     *      slots[g.slot]; weaken() moves a g only while it is armed.
     *
     * Locking & memory ordering
     *   Each stripe's SchedLock guards its arrays, top and nfree (a leaf lock; held for a few
     *   stores, or one sweep; taken by goroutines and plain threads). `added` is written under it
     *   and read racily; the exit counts are atomic adds (getAndAdd) and volatile reads. size() is
     *   a racy count, as Go's NumGoroutine. reclaim() reads g.exited (volatile), written by
     *   remove() and never cleared, so a g seen exited has ended (g.status is no proof: the JDK may
     *   resubmit an ended thread's continuation once, after a stack walk, and ready() rewrites
     *   status). g.leakArmed is volatile: the checker's write before it reads the thread's park
     *   state pairs with the waker's read after it changed that state (see LeakCheck, "Memory
     *   ordering").
     */
    private static final int STRIPES = 16;
    private static final int MASK = STRIPES - 1;

    private final Stripe[] stripes = new Stripe[STRIPES];

    AllGs() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
        // Link the exit path's VarHandle call sites (G.markExited, countExit) now, while memory
        // is plentiful: linking one allocates. A runtime's first exit that ran out of memory
        // there was marked but never counted, and numGoroutine and close() waited for that
        // goroutine for ever (the OutOfMemoryFaultTest child, when no goroutine had ended yet).
        new G(null, 0, null, null, 0).markExited();
        countExit(0, 0L);
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
        /** registrations ever made in this stripe (written under the lock, read racily). */
        volatile long added;
    }

    /**
     * Goroutines that ended (remove), and leaked ones the GC took (settle): one counter per
     * stripe (by goid), each on its own 128-byte stretch so exits on different cores rarely
     * share a cache line. Allocated up front: an exit must not allocate (it may run out of
     * memory, and a LongAdder allocates its cells on first contention).
     */
    private final long[] exits = new long[STRIPES * PAD];
    private static final int PAD = 16;
    private static final VarHandle EXITS = MethodHandles.arrayElementVarHandle(long[].class);

    private void countExit(long goid, long n) {
        EXITS.getAndAdd(exits, ((int) goid & MASK) * PAD, n);
    }

    void add(G g) {
        Stripe s = stripes[(int) g.goid & MASK];
        s.lock.lock();
        try {
            int i;
            if (s.nfree == 0 && s.top == s.slots.length) {
                reclaim(s);
            }
            if (s.nfree > 0) {
                i = s.free[--s.nfree];
            } else {
                i = s.top;
                s.top = i + 1;
            }
            s.slots[i] = g;
            g.slot = i;
            s.added = s.added + 1;
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * The stripe is full (lock held): frees the slots of dead goroutines, and doubles the arrays
     * when that freed less than a quarter of them. Amortized O(1) per add: a sweep of n slots
     * either frees n/4 of them (the next n/4 adds need no sweep) or doubles n.
     */
    private static void reclaim(Stripe s) {
        G[] slots = s.slots;
        int n = s.top;
        for (int i = 0; i < n; i++) {
            G g = slots[i];
            if (g != null && g.exited) {
                slots[i] = null;               // the dead g (and its thread) may now be collected
                s.free[s.nfree++] = i;
            }
        }
        if (s.nfree < n / 4) {
            // allocate everything before changing anything: an OutOfMemoryError here must leave
            // the stripe as it was (I1), not a top past the arrays' end
            G[] grown = Arrays.copyOf(slots, n * 2);
            int[] free = Arrays.copyOf(s.free, n * 2);
            LeakRef[] weak = s.weak == null ? null : Arrays.copyOf(s.weak, n * 2);
            s.slots = grown;
            s.free = free;
            s.weak = weak;
        }
    }

    /**
     * {@code g} has ended: marks it so ({@link G#markExited}) and counts the exit, once however
     * often and from wherever it is called (goleave, the thread container's onExit, newproc's
     * start failure). Go's way, the g keeps its slot until an add that finds the stripe full
     * reclaims it; only the count changes, on a padded counter (no lock, no shared cache line
     * with the adds).
     */
    void remove(G g) {
        if (!g.markExited()) {
            return;                            // counted already
        }
        if (g.leakArmed) {
            dropWeak(g);                       // cannot happen (see Overview); kept exact anyway
        }
        countExit(g.goid, 1L);
    }

    /** {@code g} ended while a leak check may hold it weakly: its weak entry goes. */
    private void dropWeak(G g) {
        Stripe s = stripes[(int) g.goid & MASK];
        s.lock.lock();
        try {
            int i = g.slot;
            if (i >= 0 && s.weak != null && s.weak[i] != null && s.weak[i].refersTo(g)) {
                s.weak[i] = null;
                s.free[s.nfree++] = i;
            }
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
                    return g.exited ? null : g;
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

    /**
     * Live goroutines: registrations minus exits, read in that order reversed (exits first):
     * both only grow and an exit follows its add, so the difference is never negative.
     */
    int size() {
        long ended = 0;
        for (int i = 0; i < STRIPES; i++) {
            ended += (long) EXITS.getVolatile(exits, i * PAD);
        }
        long n = 0;
        for (Stripe s : stripes) {
            n += s.added;
        }
        return (int) Math.max(0, n - ended);
    }

    /** Registrations ever made: SchedStats' goroutines created (racy, as a statistic). */
    long added() {
        long n = 0;
        for (Stripe s : stripes) {
            n += s.added;
        }
        return n;
    }

    boolean isEmpty() {
        return size() == 0;
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
                    if (g != null && !g.exited) {
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
            countExit(r.goid, 1L);
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    /** Slots allocated in all stripes (white-box: reclaim keeps the arrays bounded). */
    int capacity() {
        int n = 0;
        for (Stripe s : stripes) {
            n += s.slots.length;
        }
        return n;
    }

    /** White-box check of I1. */
    void checkInvariants() {
        for (Stripe s : stripes) {
            s.lock.lock();
            try {
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
                        if (g.slot != i || isFree[i]) {
                            throw new AssertionError("slot " + i + " of " + g);
                        }
                    } else if (w != null) {
                        if (w.slot != i || isFree[i]) {
                            throw new AssertionError("weak slot " + i + " of goroutine " + w.goid);
                        }
                    } else if (!isFree[i]) {
                        throw new AssertionError("empty slot " + i + " not free");
                    }
                }
            } finally {
                s.lock.unlock();
            }
        }
    }
}
