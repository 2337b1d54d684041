package dev.goloom.sync;

import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.syncx.QLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A condition variable, a rendezvous point for goroutines waiting for or announcing an event:
 * Go's {@code sync.Cond}. Each Cond has a {@link Mutex}, which must be held when changing the
 * condition and when calling {@link #await()}.
 *
 * {@snippet :
 * Mutex mu = new Mutex();
 * Cond ready = new Cond(mu);
 * Deque<Job> queue = new ArrayDeque<>();
 *
 * Job take() {
 *     mu.lock();
 *     try {
 *         while (queue.isEmpty()) {   // always re-check: another goroutine may have run first
 *             ready.await();
 *         }
 *         return queue.poll();
 *     } finally {
 *         mu.unlock();
 *     }
 * }
 *
 * void put(Job j) {
 *     mu.lock();
 *     try {
 *         queue.add(j);
 *     } finally {
 *         mu.unlock();
 *     }
 *     ready.signal();
 * }
 * }
 *
 * <h2>Ordering</h2>
 * Waiters are woken in the order they called {@code await()}. A {@code signal()} wakes the
 * longest-waiting goroutine among those that called {@code await()} before it, and never one that
 * called {@code await()} after it; a {@code broadcast()} wakes all that called before it. A
 * signal with no such waiter does nothing (it is not remembered). {@code signal} and
 * {@code broadcast} may be called with or without the Mutex held.
 *
 * <h2>Blocking and interruption</h2>
 * A goroutine in {@code await()} shows in dumps as {@code [sync.Cond.Wait]}. If it is interrupted
 * before it is signalled, it re-locks the Mutex (without answering the interrupt again), then
 * throws {@link GoInterruptedException} with the flag kept; it has consumed no signal. If a signal
 * reached it first, {@code await()} returns normally with the interrupt flag set, so the signal
 * is not lost (as {@link java.util.concurrent.locks.Condition#await()} does). Either way the
 * Mutex is held again when {@code await()} ends, so a {@code finally { mu.unlock(); }} is right.
 *
 * <h2>Memory consistency effects</h2>
 * A {@code signal()} or {@code broadcast()} happens-before the return of any {@code await()} it
 * unblocks (Go: "a call to Broadcast or Signal synchronizes before any Wait call that it
 * unblocks"); the Mutex orders the rest.
 */
public final class Cond {
    /* Implementation notes
     *
     * Overview
     *   Go's notifyList, a ticket scheme. await() takes the next ticket from wait (an atomic
     *   counter) while still holding the Mutex, unlocks, and then, under qlock, either finds its
     *   ticket already notified (notify has passed it) and returns, or queues a Waiter and parks.
     *   signal() advances notify by one and wakes the waiter holding that ticket if it has
     *   queued (if not, it will see notify past its ticket and not sleep). broadcast() moves
     *   notify up to wait and wakes every queued waiter. Taking the ticket before unlocking is
     *   what keeps a signal from being lost between unlock and park, and the ticket order is
     *   what keeps a signal from waking a later arrival.
     *
     * Lineage
     *   golang/go src/runtime/sema.go @go1.23 (notifyListAdd, notifyListWait,
     *   notifyListNotifyOne, notifyListNotifyAll, less) and src/sync/cond.go. Deviations: a
     *   waiter that is interrupted before being notified leaves its Waiter queued, marked
     *   cancelled; signal() skips a cancelled ticket and moves on to the next, so an interrupt
     *   never swallows a signal. The copy checker has no Java equivalent (objects are not copied).
     *
     * Invariants
     *   I1 notify never passes wait (as unsigned-wrapping tickets: !less(wait, notify)).
     *   I2 every queued Waiter has ticket t with !less(t, notify), i.e. not yet notified; a
     *      Waiter is unlinked exactly when notify passes its ticket.
     *   I3 woken and cancelled are each set at most once, under qlock, never both.
     *
     * Ownership & locking
     *   wait: atomic. notify, head, tail, Waiter links: guarded by qlock (leaf lock); notify is
     *   also read without it by the fast "nobody waits" check (volatile). Lock rank: the user's
     *   Mutex is never held while qlock is taken by await (it is released first).
     *
     * Memory ordering
     *   signal's volatile write of Waiter.woken under qlock pairs with the waiter's volatile read
     *   after park. The fast check wait == notify in signal is racy but safe: a waiter that took
     *   its ticket before the signal started is visible in wait (getAndAdd, volatile), and one
     *   that takes it after must not be woken anyway.
     *
     * Rejected alternatives
     *   AQS ConditionObject: bound to AQS locks and their owner checks; Go's Cond may be
     *   signalled without the lock and its Mutex may be unlocked by another goroutine.
     */

    private static final class Waiter {
        final Thread thread;
        final int ticket;
        Waiter next;
        volatile boolean woken;
        boolean cancelled;

        Waiter(Thread thread, int ticket) {
            this.thread = thread;
            this.ticket = ticket;
        }
    }

    private final Mutex l;
    /** next ticket to hand out. */
    private volatile int wait;
    /** ticket of the next waiter to notify: guarded by qlock, read racily by the fast check. */
    private volatile int notify;
    private volatile int qlock;
    private Waiter head;
    private Waiter tail;

    private static final VarHandle WAIT;
    private static final VarHandle QLOCK;

    static {
        try {
            MethodHandles.Lookup lk = MethodHandles.lookup();
            WAIT = lk.findVarHandle(Cond.class, "wait", int.class);
            QLOCK = lk.findVarHandle(Cond.class, "qlock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A condition variable on {@code m}: Go's {@code sync.NewCond(&m)}. */
    public Cond(Mutex m) {
        this.l = Objects.requireNonNull(m, "sync: Cond(null)");
    }

    /**
     * Atomically unlocks the Mutex and suspends the calling goroutine until woken by
     * {@link #signal()} or {@link #broadcast()}; locks the Mutex again before returning. The
     * caller must hold the Mutex. Since the condition may have changed again by the time the
     * goroutine runs, call it in a loop.
     *
     * @throws IllegalStateException {@code "sync: unlock of unlocked mutex"} if the Mutex is not
     *         locked (nothing is waited for)
     * @throws GoInterruptedException if interrupted before being signalled (the Mutex is held
     *         again)
     */
    public void await() {
        int t = (int) WAIT.getAndAdd(this, 1);   // notifyListAdd
        try {
            l.unlock();
        } catch (IllegalStateException e) {
            cancelTicket(t);
            throw e;
        }
        boolean ok = waitTicket(t);
        l.lock(WaitReason.MUTEX_LOCK, false);    // re-lock; an interrupt is answered below
        if (!ok) {
            throw new GoInterruptedException("sync: Cond.await interrupted");
        }
    }

    /** Wakes one goroutine waiting on this Cond, if there is any. */
    public void signal() {
        if (wait == notify) {   // fast path: nobody waits (see Memory ordering)
            return;
        }
        Waiter woken = null;
        QLock.acquire(QLOCK, this);
        try {
            for (;;) {
                int t = notify;
                if (t == wait) {
                    break;
                }
                notify = t + 1;  // keeps I1
                Waiter s = unlinkTicket(t);
                if (s == null) {
                    break;       // its waiter has not queued yet; it will see notify > t
                }
                if (!s.cancelled) {
                    s.woken = true;   // I3
                    woken = s;
                    break;
                }
                // an interrupted waiter's ticket: skip it, signal the next one
            }
        } finally {
            QLock.release(QLOCK, this);
        }
        if (woken != null) {
            Park.ready(woken.thread);
        }
    }

    /** Wakes all goroutines waiting on this Cond. */
    public void broadcast() {
        if (wait == notify) {
            return;
        }
        Waiter s;
        QLock.acquire(QLOCK, this);
        try {
            s = head;
            head = null;
            tail = null;
            notify = wait;       // keeps I1, I2
            for (Waiter x = s; x != null; x = x.next) {
                if (!x.cancelled) {
                    x.woken = true;
                }
            }
        } finally {
            QLock.release(QLOCK, this);
        }
        while (s != null) {
            Waiter next = s.next;   // the list is detached: nobody else touches these links
            if (s.woken) {
                Park.ready(s.thread);
            }
            s = next;
        }
    }

    /** notifyListWait: true once notified; false if interrupted first (ticket cancelled). */
    private boolean waitTicket(int t) {
        Waiter s;
        QLock.acquire(QLOCK, this);
        try {
            if (less(t, notify)) {
                return true;     // already notified
            }
            s = new Waiter(Thread.currentThread(), t);
            append(s);
        } finally {
            QLock.release(QLOCK, this);
        }
        for (;;) {
            if (s.woken) {
                return true;
            }
            if (Thread.currentThread().isInterrupted()) {
                QLock.acquire(QLOCK, this);
                try {
                    if (s.woken) {
                        return true;   // the signal came first: keep it, keep the flag
                    }
                    s.cancelled = true;   // I3; stays queued until notify passes it
                    return false;
                } finally {
                    QLock.release(QLOCK, this);
                }
            }
            Park.park(this, WaitReason.COND_WAIT);
        }
    }

    /** A ticket that will never wait: queue it cancelled so a signal skips it. */
    private void cancelTicket(int t) {
        QLock.acquire(QLOCK, this);
        try {
            if (!less(t, notify)) {
                Waiter s = new Waiter(Thread.currentThread(), t);
                s.cancelled = true;
                append(s);
            }
        } finally {
            QLock.release(QLOCK, this);
        }
    }

    /** Under qlock: unlinks and returns the Waiter with ticket {@code t}, or null. */
    private Waiter unlinkTicket(int t) {
        Waiter p = null;
        for (Waiter s = head; s != null; p = s, s = s.next) {
            if (s.ticket == t) {
                Waiter n = s.next;
                if (p == null) {
                    head = n;
                } else {
                    p.next = n;
                }
                if (n == null) {
                    tail = p;
                }
                s.next = null;
                return s;
            }
        }
        return null;
    }

    private void append(Waiter s) {
        if (tail == null) {
            head = s;
        } else {
            tail.next = s;
        }
        tail = s;
    }

    /** Go's less: a before b, with wrap-around. */
    private static boolean less(int a, int b) {
        return a - b < 0;
    }

    /** The Mutex this Cond is bound to (Go's c.L). */
    Mutex mutex() {
        return l;
    }

    @Override
    public String toString() {
        return "Cond[waiting=" + (wait - notify) + "]";
    }
}
