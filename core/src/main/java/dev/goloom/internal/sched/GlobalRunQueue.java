package dev.goloom.internal.sched;

/**
 * The global run queue: Go's {@code sched.runq}, a FIFO of goroutines linked through
 * {@code g.schedlink}, for goroutines readied off our carriers, overflow from full local queues,
 * yields ({@code Gosched}) and preempted time slices.
 */
final class GlobalRunQueue {
    /* Implementation notes
     *
     * Lineage: golang/go src/runtime/proc.go globrunqput/globrunqputbatch/globrunqget (sched.lock
     *   there; a lock of its own here, so the idle lists do not contend with it).
     * Invariants: I1 size equals the number of linked gs; I2 a g is linked at most once.
     * Locking: every method but isEmpty/sizeRacy holds `lock`, a SchedLock (a leaf lock: nothing
     *   is called while holding it). Callers are Ms and virtual threads; a monitor would let a
     *   goroutine waiting for it unmount as the monitor's successor while the Ms wait (SchedLock).
     * Memory ordering: size is volatile so findRunnable and sysmon can test emptiness without
     *   the lock (Go reads sched.runqsize racily too); the links are published by the lock.
     */
    /** a SchedLock, not a monitor: taken by Ms and by goroutines (see SchedLock). */
    private final SchedLock lock = new SchedLock();
    private G head;
    private G tail;
    private volatile int size;

    void put(G g) {
        lock.lock();
        try {
            link(g);
            size++;
        } finally {
            lock.unlock();
        }
    }

    /** Puts a batch (oldest first) at the tail. */
    void putBatch(Object[] batch) {
        lock.lock();
        try {
            for (Object o : batch) {
                link((G) o);
            }
            size += batch.length;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: appends g at the tail. */
    private void link(G g) {
        g.schedlink = null;
        if (tail == null) {
            head = g;
        } else {
            tail.schedlink = g;
        }
        tail = g;
    }

    /** Takes one g, or null. */
    G take() {
        lock.lock();
        try {
            G g = head;
            if (g == null) {
                return null;
            }
            head = g.schedlink;
            if (head == null) {
                tail = null;
            }
            g.schedlink = null;
            size--;
            return g;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Go's globrunqget: takes a fair share (size/gomaxprocs + 1, at most {@code max} if max > 0,
     * at most half a local queue) — one to return, the rest into {@code pp}'s local queue.
     */
    G get(P pp, int gomaxprocs, int max) {
        G first;
        G rest;
        int n;
        lock.lock();
        try {
            int sz = size;
            if (sz == 0) {
                return null;
            }
            n = Math.min(sz, sz / gomaxprocs + 1);
            if (max > 0 && n > max) {
                n = max;
            }
            if (n > RunQueue.SIZE / 2) {
                n = RunQueue.SIZE / 2;
            }
            first = head;
            G last = first;
            for (int i = 1; i < n; i++) {
                last = last.schedlink;
            }
            head = last.schedlink;
            if (head == null) {
                tail = null;
            }
            last.schedlink = null;
            size = sz - n;
            rest = first.schedlink;
            first.schedlink = null;
        } finally {
            lock.unlock();
        }
        while (rest != null) {   // outside the lock: the local queue is the owner's
            G next = rest.schedlink;
            rest.schedlink = null;
            pp.runqput(rest, false);
            rest = next;
        }
        return first;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int sizeRacy() {
        return size;
    }
}
