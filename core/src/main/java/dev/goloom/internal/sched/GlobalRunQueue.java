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
     * Locking: every method but isEmpty/sizeRacy holds this object's monitor (a leaf lock: nothing
     *   is called while holding it). Callers are Ms and pinned virtual threads; contended entry
     *   blocks the platform thread briefly.
     * Memory ordering: size is volatile so findRunnable and sysmon can test emptiness without
     *   the lock (Go reads sched.runqsize racily too); the links are published by the monitor.
     */
    private G head;
    private G tail;
    private volatile int size;

    synchronized void put(G g) {
        g.schedlink = null;
        if (tail == null) {
            head = g;
        } else {
            tail.schedlink = g;
        }
        tail = g;
        size++;
    }

    /** Puts a batch (oldest first) at the tail. */
    synchronized void putBatch(Object[] batch) {
        for (Object o : batch) {
            G g = (G) o;
            g.schedlink = null;
            if (tail == null) {
                head = g;
            } else {
                tail.schedlink = g;
            }
            tail = g;
        }
        size += batch.length;
    }

    /** Takes one g, or null. */
    synchronized G take() {
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
    }

    /**
     * Go's globrunqget: takes a fair share (size/gomaxprocs + 1, at most {@code max} if max > 0,
     * at most half a local queue) — one to return, the rest into {@code pp}'s local queue.
     */
    G get(P pp, int gomaxprocs, int max) {
        G first;
        G rest;
        int n;
        synchronized (this) {
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
