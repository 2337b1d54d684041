package dev.goloom.internal.syncx;

import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counting semaphore with a queue of parked goroutines: Go's runtime semaphore
 * ({@code semacquire}/{@code semrelease} in src/runtime/sema.go) for one address. The sync
 * package builds RWMutex and WaitGroup on it, as Go does.
 *
 * <p>Not a user-facing semaphore: a release makes a token available and wakes a waiter, which
 * then competes for it; with {@code handoff} the token goes straight to the first waiter.
 */
public final class Sema {
    /* Implementation notes
     *
     * Overview
     *   count is Go's *addr: the number of available tokens. acquire takes one with a CAS
     *   (cansemacquire) or, failing that, counts itself in nwait and queues a Node under qlock,
     *   re-checking count after counting itself, and parks until a release dequeues it. release
     *   adds tokens first, then, if nwait says someone may be queued, dequeues up to n waiters
     *   under qlock and readies them; with handoff it takes a token on each waiter's behalf
     *   (Node.ticket = TOKEN) so no arriving goroutine can steal it.
     *
     * Lineage
     *   golang/go src/runtime/sema.go @go1.23 (semacquire1, semrelease1, semaRoot.nwait, the lifo
     *   and handoff flags). Deviations: one queue per Sema object instead of a treap of
     *   addresses in 251 roots; release(n) wakes up to n waiters under one lock hold; a waiter
     *   may withdraw when interrupted (acquireInterruptibly), which Go never needs.
     *
     * Invariants
     *   I1 under qlock, nwait == number of linked Nodes, except transiently inside acquire
     *      between nwait++ and linking (also under qlock).
     *   I2 a Node's ticket leaves WAITING once, under qlock, when a release unlinks it.
     *   I3 a Node with ticket TOKEN owns one token that was taken from count for it.
     *
     * Ownership & locking
     *   count: CAS by acquirers, getAndAdd by releasers. nwait: changed only under qlock, read
     *   without it by release's fast path. head/tail/Node links: guarded by qlock (a leaf lock).
     *
     * Memory ordering
     *   Dekker pair, as in Go: acquire does nwait++ (volatile) then reads count; release does
     *   count += n (volatile getAndAdd) then reads nwait. Both are sequentially consistent, so at
     *   least one side sees the other: either the acquirer finds the token or the releaser finds
     *   the waiter. Node.ticket is volatile: the releaser's write pairs with the waiter's read;
     *   everything the releaser did before release() happens-before the woken acquire returns.
     *
     * Rejected alternatives
     *   java.util.concurrent.Semaphore: AQS nodes, no wait reason, and no hand-off; Go's RWMutex
     *   and WaitGroup rely on a runtime semaphore with exactly these properties.
     */

    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int TOKEN = 2;

    private static final class Node {
        final Thread thread;
        Node prev;
        Node next;
        volatile int ticket;

        Node(Thread thread) {
            this.thread = thread;
        }
    }

    private volatile int count;
    private volatile int nwait;
    private volatile int qlock;
    private Node head;
    private Node tail;

    private static final VarHandle COUNT;
    private static final VarHandle QLOCK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(Sema.class, "count", int.class);
            QLOCK = l.findVarHandle(Sema.class, "qlock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A semaphore with no tokens. */
    public Sema() {
    }

    /** Go's cansemacquire: takes a token if one is available. */
    public boolean tryAcquire() {
        for (;;) {
            int v = count;
            if (v <= 0) {
                return false;
            }
            if (COUNT.compareAndSet(this, v, v - 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a token, parking (recording {@code why}) until one is released. Does not answer
     * interrupts: an interrupt that arrives meanwhile is kept and the flag is set again on return.
     * {@code lifo} queues at the head (a waiter that already waited once).
     */
    public void acquire(Object blocker, WaitReason why, boolean lifo) {
        if (tryAcquire()) {
            return;
        }
        boolean interrupted = Thread.interrupted();   // park would not block with the flag set
        acquireSlow(blocker, why, lifo, false);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * As {@link #acquire}, but an interrupt while queued makes the caller withdraw: returns false
     * with no token taken and the interrupt flag set. Returns true once a token is taken.
     */
    public boolean acquireInterruptibly(Object blocker, WaitReason why, boolean lifo) {
        if (tryAcquire()) {
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        return acquireSlow(blocker, why, lifo, true);
    }

    private boolean acquireSlow(Object blocker, WaitReason why, boolean lifo, boolean interruptible) {
        Node n = new Node(Thread.currentThread());
        boolean swallowed = false;
        for (;;) {
            QLock.acquire(QLOCK, this);
            nwait = nwait + 1;             // under qlock; volatile store: the Dekker half (see notes)
            if (tryAcquire()) {
                nwait = nwait - 1;
                QLock.release(QLOCK, this);
                break;
            }
            n.ticket = WAITING;
            link(n, lifo);
            QLock.release(QLOCK, this);
            for (;;) {
                int t = n.ticket;
                if (t != WAITING) {
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    if (interruptible) {
                        if (withdraw(n)) {
                            return false;
                        }
                        continue;          // a release dequeued us first: take what it gave
                    }
                    Thread.interrupted();  // uninterruptible: park would spin with the flag set
                    swallowed = true;
                }
                Park.park(blocker, why);
            }
            if (n.ticket == TOKEN || tryAcquire()) {   // I3
                break;
            }
            if (interruptible && Thread.currentThread().isInterrupted()) {
                return false;              // woken but beaten to the token: nothing to undo
            }
            lifo = true;                   // Go: a woken waiter that lost goes back to the head
        }
        if (swallowed) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Unlinks {@code n} if still queued; true if it was (the caller then owns nothing). */
    private boolean withdraw(Node n) {
        QLock.acquire(QLOCK, this);
        try {
            if (n.ticket != WAITING) {
                return false;
            }
            unlink(n);
            nwait = nwait - 1;             // keeps I1
            return true;
        } finally {
            QLock.release(QLOCK, this);
        }
    }

    /**
     * Makes {@code n} tokens available and wakes up to {@code n} queued waiters (Go's
     * semrelease, n times). With {@code handoff}, each woken waiter is given a token directly.
     */
    public void release(int n, boolean handoff) {
        if (n <= 0) {
            return;
        }
        COUNT.getAndAdd(this, n);          // volatile: the other Dekker half
        if (nwait == 0) {
            return;
        }
        // the threads to ready after dropping qlock (not the Nodes' links: a woken waiter may
        // relink its Node as soon as its ticket is set)
        Thread one = null;
        Thread[] more = null;
        int k = 0;
        QLock.acquire(QLOCK, this);
        try {
            for (int i = 0; i < n && head != null; i++) {
                Node s = head;
                unlink(s);
                nwait = nwait - 1;         // keeps I1
                s.ticket = handoff && tryAcquire() ? TOKEN : WOKEN;   // I2, I3
                if (one == null) {
                    one = s.thread;
                } else {
                    if (more == null) {
                        more = new Thread[Math.min(n, nwait + 1)];
                    }
                    more[k++] = s.thread;
                }
            }
        } finally {
            QLock.release(QLOCK, this);
        }
        if (one != null) {
            Park.ready(one);
        }
        for (int i = 0; i < k; i++) {
            Park.ready(more[i]);
        }
    }

    /** Available tokens (tests and debugging). */
    public int count() {
        return count;
    }

    /** Goroutines counted as waiting (tests and debugging). */
    public int waiters() {
        return nwait;
    }

    private void link(Node n, boolean lifo) {
        if (lifo) {
            Node h = head;
            n.prev = null;
            n.next = h;
            if (h == null) {
                tail = n;
            } else {
                h.prev = n;
            }
            head = n;
        } else {
            Node t = tail;
            n.next = null;
            n.prev = t;
            if (t == null) {
                head = n;
            } else {
                t.next = n;
            }
            tail = n;
        }
    }

    private void unlink(Node n) {
        Node p = n.prev;
        Node x = n.next;
        if (p == null) {
            head = x;
        } else {
            p.next = x;
        }
        if (x == null) {
            tail = p;
        } else {
            x.prev = p;
        }
        n.prev = null;
        n.next = null;
    }
}
