package dev.goloom.internal.chan;

import dev.goloom.ChanClosedException;
import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Go's {@code selectgo}: runs one ready case of a select, chosen uniformly at random among the
 * ready ones, or blocks on all of them at once.
 */
public final class SelectGo {
    /* Implementation notes
     *
     * Overview
     *   selectgo(cases, block, out) in four passes, as Go:
     *   Pass 0: a random permutation of the cases with a channel (pollorder: Fisher-Yates) and
     *           the same cases sorted by channel id (lockorder: heap sort); lock every distinct
     *           channel in lockorder.
     *   Pass 1: in pollorder, take the first case that can proceed now (a waiting partner, the
     *           buffer, or a closed channel). Without any, and not blocking: unlock, return -1.
     *   Pass 2: enqueue a sudog on every case's channel (in lockorder), all pointing to one
     *           SelectState; unlock; park until a waker publishes the winner.
     *   Pass 3: lock everything again and unlink the sudogs that did not win, so no waiter is
     *           left behind on any channel; unlock; report the winner.
     *   A waker (chansend/chanrecv/closechan or another select's pass 1) that dequeues one of
     *   our sudogs claims the select with SelectState.tryWin(); a waker that loses skips the
     *   sudog (WaitQ.dequeue), exactly Go's selectDone protocol.
     *
     * Lineage
     *   golang/go src/runtime/select.go (go1.22: selectgo, sellock, selunlock, block).
     *   Deviations: the received value is returned through SelectState.value/ok instead of the
     *   case's elem pointer; the cases' sudogs come from the heap (Go: per-P cache); interrupts
     *   cancel a blocked select (the owner claims its own SelectState under all its locks).
     *
     * Invariants
     *   I1 channels are locked in strictly increasing id order, each once (a channel that
     *      appears in several cases is locked once): no two selects can deadlock on locks.
     *   I2 a blocked select's sudogs are on their queues only between pass 2 and pass 3 (or the
     *      interrupt cleanup); when selectgo returns or throws, none of them is on any queue.
     *   I3 exactly one party wins SelectState.tryWin() (a waker or the owner's interrupt path),
     *      and it holds the lock of the winning sudog's channel, or all the select's locks.
     *
     * Ownership & locking
     *   pollorder/lockorder and the sudogs' waitlink are the owner's alone. The sudogs' other
     *   fields follow Sudog's rules (guarded by their channel's lock).
     *
     * Memory ordering
     *   SelectState.winner is the wake-up signal (setRelease by the waker under its channel lock,
     *   getAcquire in the park loop). Pass 3 re-locks every channel, which also orders the
     *   owner after every waker that touched any of its sudogs.
     *
     * Rejected alternatives
     *   Polling the channels lock-free before locking (as kotlinx/jox do): faster for selects
     *   with default, but a set of lock-free observations of several channels is not one
     *   moment, which Go's select guarantees; kept for the single-channel case only (compiled
     *   selectnbsend/selectnbrecv in Select).
     */

    private SelectGo() {
    }

    /** The outcome of a select's receive case. */
    public static final class Result {
        /** the value received (null when the channel was closed and drained). */
        public Object value;
        /** false when the receive case found the channel closed and drained. */
        public boolean ok;
    }

    /**
     * Runs one ready case, or blocks (when {@code block}) until one is. Returns the index of the
     * case that proceeded, or -1 when none was ready and {@code block} is false. For a receive
     * case the value and ok flag are stored in {@code out}.
     *
     * @throws ChanClosedException a send case's channel is (or got) closed
     * @throws GoInterruptedException interrupted while blocked; no case proceeded
     */
    public static int selectgo(Scase[] cases, boolean block, Result out) {
        int n = cases.length;
        // Pass 0: poll order and lock order.
        int[] order = new int[2 * n];          // [0,norder) pollorder, [n,n+norder) lockorder
        int norder = 0;
        ThreadLocalRandom rnd = null;
        for (int i = 0; i < n; i++) {
            Scase cas = cases[i];
            if (cas.c == null) {
                continue;                      // nil channel or default: never polled
            }
            int j;
            if (norder == 0) {
                j = 0;
            } else {
                if (rnd == null) {
                    rnd = ThreadLocalRandom.current();
                }
                j = rnd.nextInt(norder + 1);
            }
            order[norder] = order[j];
            order[j] = i;
            norder++;
        }
        if (norder == 0) {
            if (!block) {
                return -1;
            }
            blockForever(WaitReason.SELECT);   // every channel is nil: Go's select parks forever
        }
        sortLockOrder(cases, order, n, norder);
        sellock(cases, order, n, norder);

        // Pass 1: look for something already waiting.
        for (int k = 0; k < norder; k++) {
            int i = order[k];
            Scase cas = cases[i];
            HChan c = cas.c;
            if (cas.kind == Scase.SEND) {
                if (c.closedLocked()) {
                    selunlock(cases, order, n, norder);
                    throw new ChanClosedException("send on closed channel");
                }
                Sudog sg = c.recvq.dequeue();
                if (sg != null) {              // hand the value to a waiting receiver
                    Thread t = sg.thread;
                    HChan.sendLocked(sg, cas.elem);
                    selunlock(cases, order, n, norder);
                    Park.ready(t);
                    return i;
                }
                if (c.bufHasRoom()) {
                    c.bufPut(cas.elem);
                    selunlock(cases, order, n, norder);
                    return i;
                }
            } else {
                Sudog sg = c.sendq.dequeue();
                if (sg != null) {              // take from a waiting sender (via the buffer)
                    Thread t = sg.thread;
                    out.value = c.recvLocked(sg);
                    out.ok = true;
                    selunlock(cases, order, n, norder);
                    Park.ready(t);
                    return i;
                }
                if (c.bufHasValues()) {
                    out.value = c.bufTake();
                    out.ok = true;
                    selunlock(cases, order, n, norder);
                    return i;
                }
                if (c.closedLocked()) {
                    out.value = null;
                    out.ok = false;
                    selunlock(cases, order, n, norder);
                    return i;
                }
            }
        }
        if (!block) {
            selunlock(cases, order, n, norder);
            return -1;
        }

        // Pass 2: enqueue on every channel, park.
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            selunlock(cases, order, n, norder);
            throw new GoInterruptedException();
        }
        // Allocate first, enqueue second: an Error while allocating (OutOfMemoryError) must
        // leave every channel unlocked and no sudog of ours in a queue.
        SelectState st;
        Sudog sglist = null;
        Sudog tail = null;
        try {
            st = new SelectState();
            for (int k = 0; k < norder; k++) {
                int i = order[n + k];
                Scase cas = cases[i];
                Sudog sg = new Sudog();
                sg.thread = me;
                sg.c = cas.c;
                sg.sel = st;
                sg.caseIndex = i;
                if (cas.kind == Scase.SEND) {
                    sg.elem = cas.elem;
                    sg.isSend = true;
                }
                if (tail == null) {
                    sglist = sg;
                } else {
                    tail.waitlink = sg;
                }
                tail = sg;
            }
        } catch (Throwable t) {
            selunlock(cases, order, n, norder);
            throw t;
        }
        for (Sudog sg = sglist; sg != null; sg = sg.waitlink) {
            if (sg.isSend) {
                sg.c.sendq.enqueue(sg);
            } else {
                sg.c.recvq.enqueue(sg);
            }
        }
        selunlock(cases, order, n, norder);

        Sudog winner;
        boolean locked = false;
        while ((winner = st.winnerAcquire()) == null) {
            Park.park(st, WaitReason.SELECT);
            if (st.winnerAcquire() == null && me.isInterrupted()) {
                sellock(cases, order, n, norder);
                if (st.tryWin()) {             // nobody completed us: cancel (keeps I2, I3)
                    dequeueAll(sglist, null);
                    selunlock(cases, order, n, norder);
                    throw new GoInterruptedException();
                }
                // A waker won; it published the winner before releasing its lock, which we now
                // hold (I3), so the winner is visible: the select succeeded.
                locked = true;
            }
        }

        // Pass 3: dequeue from the unsuccessful channels.
        if (!locked) {
            sellock(cases, order, n, norder);
        }
        dequeueAll(sglist, winner);
        selunlock(cases, order, n, norder);

        int i = winner.caseIndex;
        if (cases[i].kind == Scase.SEND) {
            if (!winner.success) {
                throw new ChanClosedException("send on closed channel");
            }
        } else {
            out.value = winner.success ? winner.elem : null;
            out.ok = winner.success;
        }
        return i;
    }

    /** Unlinks every sudog of the list except {@code keep} (all their locks held; keeps I2). */
    private static void dequeueAll(Sudog sglist, Sudog keep) {
        for (Sudog sg = sglist; sg != null; ) {
            if (sg != keep) {
                (sg.isSend ? sg.c.sendq : sg.c.recvq).remove(sg);
            }
            Sudog next = sg.waitlink;
            sg.waitlink = null;
            sg = next;
        }
    }

    /** Parks forever (until interrupted): Go's block() and a select on nil channels only. */
    public static void blockForever(WaitReason why) {
        Object blocker = new Object();
        for (;;) {
            Park.park(blocker, why);
            Park.checkInterrupt();
        }
    }

    // ------------------------------------------------------------------------------ locks

    /** Locks every distinct channel in lockorder (keeps I1). */
    private static void sellock(Scase[] cases, int[] order, int n, int norder) {
        HChan last = null;
        for (int k = 0; k < norder; k++) {
            HChan c = cases[order[n + k]].c;
            if (c != last) {
                c.lock();
                last = c;
            }
        }
    }

    /** Unlocks in reverse lock order, each distinct channel once. */
    private static void selunlock(Scase[] cases, int[] order, int n, int norder) {
        for (int k = norder - 1; k >= 0; k--) {
            HChan c = cases[order[n + k]].c;
            if (k > 0 && cases[order[n + k - 1]].c == c) {
                continue;                      // the same channel is locked once
            }
            c.unlock();
        }
    }

    /** Sorts the case indices order[0..norder) by channel id into order[n..n+norder). */
    private static void sortLockOrder(Scase[] cases, int[] order, int n, int norder) {
        System.arraycopy(order, 0, order, n, norder);
        if (norder <= 16) {                    // insertion sort: selects are small
            for (int a = 1; a < norder; a++) {
                int x = order[n + a];
                long id = cases[x].c.id;
                int b = a - 1;
                while (b >= 0 && cases[order[n + b]].c.id > id) {
                    order[n + b + 1] = order[n + b];
                    b--;
                }
                order[n + b + 1] = x;
            }
            return;
        }
        heapSort(cases, order, n, norder);     // Go's choice: O(n log n), no allocation
    }

    private static void heapSort(Scase[] cases, int[] order, int base, int len) {
        for (int start = len / 2 - 1; start >= 0; start--) {
            siftDown(cases, order, base, start, len);
        }
        for (int end = len - 1; end > 0; end--) {
            int t = order[base];
            order[base] = order[base + end];
            order[base + end] = t;
            siftDown(cases, order, base, 0, end);
        }
    }

    private static void siftDown(Scase[] cases, int[] order, int base, int root, int len) {
        for (;;) {
            int child = 2 * root + 1;
            if (child >= len) {
                return;
            }
            if (child + 1 < len && id(cases, order, base + child + 1) > id(cases, order, base + child)) {
                child++;
            }
            if (id(cases, order, base + root) >= id(cases, order, base + child)) {
                return;
            }
            int t = order[base + root];
            order[base + root] = order[base + child];
            order[base + child] = t;
            root = child;
        }
    }

    private static long id(Scase[] cases, int[] order, int at) {
        return cases[order[at]].c.id;
    }
}
