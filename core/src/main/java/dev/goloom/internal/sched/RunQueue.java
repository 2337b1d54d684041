package dev.goloom.internal.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A P's local run queue: a 256-slot ring that only its owner P puts into and takes from, and that
 * other Ps steal half of, plus the {@code runnext} slot. Go's {@code p.runq}/{@code runnext}
 * with {@code runqput}, {@code runqget}, {@code runqgrab} and {@code runqsteal}.
 *
 * <p>It is generic in the element so tests can drive it from plain threads with any object, as
 * Go's export_test.go drives the real queue without the runtime.
 */
final class RunQueue<T> {
    /* Implementation notes
     *
     * Overview
     *   A single-producer, multi-consumer ring. The owner appends at tail; the owner and stealers
     *   take from head with a CAS. runnext holds the goroutine that should run next (a goroutine
     *   just readied or created by the running one); it is taken by the owner first and by a
     *   stealer only as a last resort.
     *
     * Lineage
     *   golang/go src/runtime/proc.go runqput/runqputslow/runqget/runqgrab/runqsteal (go1.19).
     *   Deviations: runqputslow's overflow batch is handed back to the caller (the owner puts it on
     *   the global queue) instead of this class knowing the global queue; the "usleep(3) before
     *   stealing runnext of a running P" back-off is the caller's (Sched.stealWork).
     *
     * Invariants
     *   I1 0 <= tail - head <= SIZE (int arithmetic wraps, as Go's uint32).
     *   I2 slots [head, tail) hold queued elements; only the owner writes slot tail % SIZE, and
     *      only while tail - head < SIZE, so it never overwrites an unconsumed slot.
     *   I3 an element is taken exactly once: takers claim [h, h+n) by CAS head h -> h+n; a taker
     *      uses the slots it read only if its CAS succeeded.
     *   I4 an element is in at most one of {runnext, the ring}.
     *   I5 slots of taken elements are cleared by the owner (scrub, and steal's own returned slot)
     *      so that the ring does not keep goroutines reachable after they ran: Go's runq holds
     *      guintptrs its GC ignores; here a stale slot would hide a leaked goroutine from the GC
     *      (LeakCheck). Only indices below a head the owner saw and at least tail - SIZE are
     *      cleared, which no queued element shares (I2).
     *
     * Ownership
     *   tail: written by the owner only; read by stealers (acquire).
     *   head: CAS by the owner (get) and stealers (grab).
     *   runnext: CAS by anyone (owner put/get, stealer grab).
     *   ring slots: written by the owner (plain) before the release store of tail; read by any
     *      taker after an acquire load of tail (or, for the owner, in program order).
     *
     * Memory ordering
     *   setTailRelease(t+1) after the slot write  pairs with  tailAcquire() in grab() — a stealer
     *     that sees the new tail sees the slot.
     *   casHead (volatile CAS) in get/grab  pairs with  headAcquire() in put() — the owner sees a
     *     slot as free only after its taker has read it (the taker reads, then CASes).
     *   A slot read by a taker whose CAS then fails may be stale or torn between laps: it is
     *     discarded (benign race, I3).
     *
     * Rejected alternatives
     *   ConcurrentLinkedDeque / ForkJoinPool work queues: no runnext, no steal-half, allocation per
     *   element; an AtomicReferenceArray: same fences as the VarHandle, one more indirection.
     */
    static final int SIZE = 256;
    private static final int MASK = SIZE - 1;

    private final Object[] ring = new Object[SIZE];
    /** owner only: every slot index before this (down to tail - SIZE) was cleared (scrub). */
    private int scrubbed;
    @SuppressWarnings("unused") private volatile int head;   // accessed through HEAD
    @SuppressWarnings("unused") private volatile int tail;   // accessed through TAIL
    @SuppressWarnings("unused") private volatile Object runnext; // accessed through RUNNEXT

    private static final VarHandle HEAD, TAIL, RUNNEXT;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RunQueue.class, "head", int.class);
            TAIL = l.findVarHandle(RunQueue.class, "tail", int.class);
            RUNNEXT = l.findVarHandle(RunQueue.class, "runnext", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private int headAcquire() {
        return (int) HEAD.getAcquire(this);
    }

    private boolean casHead(int expect, int update) {
        return HEAD.compareAndSet(this, expect, update);
    }

    private int tailAcquire() {
        return (int) TAIL.getAcquire(this);
    }

    private int tailPlain() {
        return (int) TAIL.get(this); // owner only: its own last write
    }

    /**
     * The tail index, racily (sysmon): it moves whenever the owner queues a goroutine, so a
     * change tells sysmon the mounted goroutine is running goloom code, not sitting pinned.
     */
    int tailOpaque() {
        return (int) TAIL.getOpaque(this);
    }

    private void setTailRelease(int t) {
        TAIL.setRelease(this, t);
    }

    @SuppressWarnings("unchecked")
    private T runnextVolatile() {
        return (T) RUNNEXT.getVolatile(this);
    }

    private boolean casRunnext(Object expect, Object update) {
        return RUNNEXT.compareAndSet(this, expect, update);
    }

    // ------------------------------------------------------------------------------ owner side

    /**
     * Owner only. Puts {@code x} in runnext (kicking the old occupant to the tail) when
     * {@code next}, else at the tail. Returns null, or, when the ring was full, a batch of
     * elements (half the ring plus the one being put, oldest first) that the caller must put on
     * the global queue.
     */
    Object[] put(T x, boolean next) {
        Object e = x;
        if (next) {
            Object old;
            do {
                old = runnextVolatile();
            } while (!casRunnext(old, e));
            if (old == null) {
                return null;
            }
            e = old; // keeps I4: the old runnext goes to the ring
        }
        while (true) {
            int h = headAcquire(); // pairs with casHead in get/grab
            int t = tailPlain();
            if (t - h < SIZE) {
                ring[t & MASK] = e;          // keeps I2
                setTailRelease(t + 1);       // release: pairs with tailAcquire() in grab()
                return null;
            }
            Object[] batch = putSlow(e, h, t);
            if (batch != null) {
                return batch;
            }
            // a stealer took some: there is room now
        }
    }

    /** Owner only: moves half the full ring plus {@code e} into a batch (Go's runqputslow). */
    private Object[] putSlow(Object e, int h, int t) {
        int n = (t - h) / 2;
        Object[] batch = new Object[n + 1];
        for (int i = 0; i < n; i++) {
            batch[i] = ring[(h + i) & MASK];
        }
        if (!casHead(h, h + n)) {     // keeps I3
            return null;
        }
        batch[n] = e;
        return batch;
    }

    /**
     * Owner only: takes runnext if set (inherit == true: it inherits the time slice), else the
     * head of the ring. Returns null when empty. {@code inherit[0]} is set accordingly.
     */
    @SuppressWarnings("unchecked")
    T get(boolean[] inherit) {
        Object next = runnextVolatile();
        if (next != null && casRunnext(next, null)) {
            inherit[0] = true;
            return (T) next;
        }
        inherit[0] = false;
        return getRing();
    }

    /** Owner only: the head of the ring, ignoring runnext. */
    @SuppressWarnings("unchecked")
    T getRing() {
        while (true) {
            int h = headAcquire();
            int t = tailPlain();
            if (t == h) {
                scrub(h, t);
                return null;
            }
            Object e = ring[h & MASK];
            if (casHead(h, h + 1)) {   // keeps I3
                scrub(h + 1, t);
                return (T) e;
            }
        }
    }

    /**
     * Owner only: clears the slots of elements already taken (indices before {@code h}, a head
     * value this owner saw), so that the ring does not keep a goroutine that ran and parked
     * reachable for the GC (Go's runq holds guintptrs, which its GC ignores; the leak check,
     * LeakCheck, needs this). Slot i is cleared only if i >= t - SIZE: then no queued element
     * (indices [head, t)) shares its slot, and only the owner writes slots (I2), so nothing
     * queued is lost. A stealer that read a cleared slot fails its CAS (head moved past it: I3).
     */
    private void scrub(int h, int t) {
        int lo = scrubbed;
        if (t - SIZE - lo > 0) {
            lo = t - SIZE;
        }
        for (int i = lo; h - i > 0; i++) {
            ring[i & MASK] = null;
        }
        if (h - scrubbed > 0) {
            scrubbed = h;
        }
    }

    /** Owner only: takes runnext alone (null if empty). */
    @SuppressWarnings("unchecked")
    T takeRunnext() {
        Object next = runnextVolatile();
        if (next != null && casRunnext(next, null)) {
            return (T) next;
        }
        return null;
    }

    /**
     * Owner only: moves everything (runnext included) into {@code out}, oldest first; used when
     * a P is destroyed or drained.
     */
    int drain(java.util.function.Consumer<T> out) {
        int n = 0;
        T x;
        while ((x = getRing()) != null) {
            out.accept(x);
            n++;
        }
        if ((x = takeRunnext()) != null) {
            out.accept(x);
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------------------ stealer side

    /**
     * Steals about half of {@code victim}'s elements into this queue (this is the thief's own
     * queue: owner-only on {@code this}). Returns one stolen element to run now, or null.
     * {@code stealRunnext}: also take the victim's runnext when its ring is empty.
     */
    @SuppressWarnings("unchecked")
    T steal(RunQueue<T> victim, boolean stealRunnext) {
        int t = tailPlain();
        int n = victim.grab(ring, t, stealRunnext);
        if (n == 0) {
            return null;
        }
        n--;
        T e = (T) ring[(t + n) & MASK];
        ring[(t + n) & MASK] = null;   // not published (index >= tail): only ours; see scrub
        if (n == 0) {
            return e;
        }
        setTailRelease(t + n); // release: publishes the copied slots to our own stealers
        return e;
    }

    /**
     * Go's runqgrab: claims half of this queue's elements and copies them into {@code batch}
     * starting at {@code batchHead}. Callable from any thread. Returns how many were taken.
     */
    private int grab(Object[] batch, int batchHead, boolean stealRunnext) {
        while (true) {
            int h = headAcquire();
            int t = tailAcquire();   // acquire: pairs with setTailRelease() in put()
            int n = t - h;
            n = n - n / 2;
            if (n == 0) {
                if (stealRunnext) {
                    Object next = runnextVolatile();
                    if (next != null) {
                        if (!casRunnext(next, null)) {
                            continue;
                        }
                        batch[batchHead & MASK] = next;
                        return 1;
                    }
                }
                return 0;
            }
            if (n > SIZE / 2) { // read an inconsistent h and t
                continue;
            }
            for (int i = 0; i < n; i++) {
                batch[(batchHead + i) & MASK] = ring[(h + i) & MASK];
            }
            if (casHead(h, h + n)) { // keeps I3
                return n;
            }
        }
    }

    // ------------------------------------------------------------------------------ queries

    /** True when ring and runnext are empty (racy unless called by the owner). */
    boolean isEmpty() {
        // Go's runqempty: read head, tail, runnext, then tail again so that a concurrent
        // put(next) that moves runnext to the ring cannot make us see neither.
        while (true) {
            int h = headAcquire();
            int t = tailAcquire();
            Object next = runnextVolatile();
            if (t == tailAcquire()) {
                return h == t && next == null;
            }
        }
    }

    /** Elements queued, runnext included (racy snapshot). */
    int size() {
        int h = headAcquire();
        int t = tailAcquire();
        int n = t - h;
        if (n < 0 || n > SIZE) {
            n = 0;
        }
        return n + (runnextVolatile() != null ? 1 : 0);
    }

    /** White-box check of I1 (call when quiescent). */
    void checkInvariants() {
        int h = headAcquire();
        int t = tailAcquire();
        if (t - h < 0 || t - h > SIZE) {
            throw new AssertionError("runq: head " + h + " tail " + t);
        }
    }
}
