package dev.goloom.sync;

import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.syncx.QLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A mutual exclusion lock: Go's {@code sync.Mutex}.
 *
 * <p>{@link #lock()} takes the lock, blocking the calling goroutine (or thread) while another holds
 * it; {@link #unlock()} releases it. The lock is not tied to the goroutine that took it: one
 * goroutine may lock a Mutex and arrange for another to unlock it, as in Go. It is not reentrant:
 * a goroutine that locks a Mutex it already holds blocks forever (Go's runtime then reports the
 * deadlock: {@code GoRuntime.main} throws {@code DeadlockError} if nothing else can run).
 *
 * {@snippet :
 * Mutex mu = new Mutex();
 * Map<String, Integer> counts = new HashMap<>();
 *
 * void inc(String key) {
 *     mu.lock();
 *     try {
 *         counts.merge(key, 1, Integer::sum);
 *     } finally {
 *         mu.unlock();
 *     }
 * }
 * }
 *
 * <h2>Fairness: normal and starvation modes</h2>
 * As in Go, the Mutex has two modes. In <em>normal mode</em> waiters queue in FIFO order, but a
 * woken waiter does not own the lock: it competes with goroutines that are arriving right now
 * (and, while nobody is queued, briefly spinning on another core), and those usually win, since they are already running.
 * This keeps the lock with running goroutines and gives the best throughput. A waiter that loses
 * goes back to the <em>front</em> of the queue. If a waiter has been blocked for more than 1 ms,
 * the Mutex switches to <em>starvation mode</em>: ownership is handed directly from the unlocking
 * goroutine to the waiter at the front of the queue; arrivals neither try to take it nor spin,
 * they queue at the tail. The Mutex returns to normal mode when a waiter that receives it is the
 * last one in the queue or has waited less than 1 ms. So no waiter waits unboundedly while others
 * hammer the lock.
 *
 * <h2>Blocking and interruption</h2>
 * A blocked {@code lock()} parks the goroutine (its carrier is freed) and shows in dumps as
 * {@code [sync.Mutex.Lock]}. Go has no interrupts; here, {@link Thread#interrupt()} of a goroutine
 * blocked in {@code lock()} (or calling it with the flag set while the lock is held) makes
 * {@code lock()} throw {@link GoInterruptedException}, with the interrupt flag kept set and
 * <em>without</em> the lock held. An uncontended {@code lock()} does not look at the flag.
 *
 * <h2>Misuse</h2>
 * {@link #unlock()} of an unlocked Mutex throws {@link IllegalStateException}
 * ({@code "sync: unlock of unlocked mutex"}; a fatal error in Go) and changes nothing.
 *
 * <h2>Memory consistency effects</h2>
 * The n'th call of {@code unlock()} happens-before the m'th {@code lock()} returns, for any
 * n &lt; m (Go's "the n'th call of Unlock synchronizes before the m'th call of Lock returns"). A
 * successful {@link #tryLock()} counts as a {@code lock()}.
 */
public final class Mutex {
    /* Implementation notes
     *
     * Overview
     *   One int state word, as Go's: LOCKED (bit 0), WOKEN (bit 1: a goroutine that was woken
     *   is about to compete, so unlock need not wake another), STARVING (bit 2),
     *   and the number of queued waiters from bit 3. The uncontended paths are one atomic each:
     *   lock CAS 0 -> LOCKED, unlock getAndBitwiseAnd(~LOCKED) (Go adds -mutexLocked; the AND
     *   cannot corrupt the word on a misuse, see unlock); a result other than LOCKED goes to
     *   unlockSlow, a failed CAS to lockSlow.
     *   Waiters queue in a doubly linked list of Waiter nodes (Go's sudogs in a semaRoot) guarded
     *   by the spin lock qlock; the waiter count in the state word is changed only under qlock
     *   and always equals the length of that list (I3), which is what lets an interrupted waiter
     *   leave the queue cleanly.
     *   lockSlow: (1) spin a few rounds while the lock is held in normal mode and nobody is
     *   queued (Go announces a spinner with WOKEN and spins past queued waiters: see (d)); (2) if the lock is
     *   free and not in starvation mode, CAS it; (3) otherwise, under qlock, count ourselves in
     *   the state word and enqueue (at the tail the first time, at the head after a wake-up),
     *   then park until an unlocker dequeues us. A normal-mode wake-up (status WOKEN) means "try
     *   again": loop to (1). A starvation-mode wake-up (status HANDOFF) means the lock is ours.
     *   unlockSlow (LOCKED already cleared by unlock's atomic AND): in normal mode, if there are waiters,
     *   nobody took the lock meanwhile and nobody holds WOKEN, set WOKEN and wake the head
     *   waiter; in starvation mode, set LOCKED again and hand the lock to the head waiter.
     *
     * Lineage
     *   golang/go src/sync/mutex.go @go1.23 (lockSlow, unlockSlow, the two modes and the 1 ms
     *   starvation threshold) and src/runtime/sema.go (semacquire with lifo, semrelease with
     *   handoff). Deviations: (a) Go counts a waiter in the state word before it reaches the
     *   semaphore queue and lets the semaphore's token count bridge the gap; here counting and
     *   enqueueing happen together under qlock, so the count is exact and a waiter can withdraw
     *   (interrupts, which Go lacks), the same way parking_lot's RawMutex keeps its PARKED bit
     *   under the bucket lock; (b) in starvation mode the unlocker sets LOCKED again for the
     *   waiter and adjusts the count itself (Go lets the woken waiter fix the state word);
     *   (c) the unlocker does not yield to the waiter it handed the lock to (Go's goyield); on
     *   our scheduler the waiter is in the unlocker's runnext and runs at its next block;
     *   (d) spinning asks Go's question (Park.canSpin: multicore, another P running, our run
     *   queue empty, at most 4 rounds) but only while nobody is queued: Go's spinner also
     *   spins past queued waiters, setting WOKEN so that unlock does not wake one. Measured on
     *   2 cores (session 3, /tmp probes, medians of 9 runs of 10M operations): 4 goroutines in
     *   a tight lock/unlock loop, 14-16 ns with Go's rule, 10-14 without spinning at all and
     *   11-14 with ours (Go 12.8, ReentrantLock on virtual threads 9-12): a queued waiter means
     *   the lock is contended past what spinning covers, and spinners only keep two cores
     *   bouncing the lock's cache line while the goroutines that parked get nothing done; with
     *   2 goroutines holding the lock ~150 ns, 245 ns with Go's rule, 290 without spinning,
     *   222 with ours. A spinner therefore never owns WOKEN; a woken waiter still does (I2).
     *
     * Invariants
     *   I1 STARVING implies LOCKED (starvation mode is only ever set or kept while the lock is
     *      held; an unlock that finds no waiter clears both), except (I1') between a
     *      starvation-mode unlock's AND and its handoff(): then nobody else can take the lock,
     *      since lockSlow's Pass 2, enqueue's "free" test and tryLock all exclude STARVING.
     *   I2 at most one goroutine is responsible for WOKEN while it is set: the waiter an
     *      unlocker dequeued with status WOKEN (goloom's spinners never set it: (d)); it clears it
     *      (when it takes the lock, goes back to sleep, or gives up after an interrupt).
     *   I3 under qlock, (state >>> WAITER_SHIFT) == number of Waiters in head..tail.
     *   I4 a Waiter's status leaves WAITING once, under qlock, when it is unlinked by an unlocker;
     *      a Waiter with status WAITING is linked.
     *   I5 with status HANDOFF the waiter owns the lock: handoff() set LOCKED again for it (the
     *      unlocker's AND cleared it; STARVING kept everyone else out meanwhile, I1').
     *
     * Ownership & locking
     *   state: CAS by everyone; the waiter-count bits only under qlock (I3).
     *   head/tail/Waiter.prev/next: guarded by qlock. Lock rank: qlock is a leaf (no other lock
     *   is taken under it; Park.ready is called after releasing it).
     *   owner: plain field, written by the goroutine that takes the lock and cleared before it
     *   unlocks; read racily by SyncDebug for dumps (benign: debugging only, may be stale).
     *
     * Memory ordering
     *   lock's CAS (volatile) pairs with unlock's atomic AND (volatile) on state: the critical section
     *   before unlock happens-before the next lock. For a hand-off, the unlocker's volatile write
     *   of Waiter.status = HANDOFF pairs with the waiter's volatile read of status.
     *   qlock: acquire CAS / release store (QLock) orders the list fields.
     *
     * Rejected alternatives
     *   AbstractQueuedSynchronizer: cancellation comes for free, but Go's hand-off cannot be
     *   expressed (AQS always releases the state and lets the first waiter CAS it), WOKEN would
     *   need a second word, and every acquire allocates a node. Go's token-counting semaphore
     *   under the mutex: a waiter cannot withdraw from it without leaving a stray token that a
     *   later waiter would mistake for a wake-up (see docs/adr/0002-mutex.md).
     */

    static final int LOCKED = 1;
    static final int WOKEN = 1 << 1;
    static final int STARVING = 1 << 2;
    static final int WAITER_SHIFT = 3;
    static final int WAITER = 1 << WAITER_SHIFT;
    /** Go's starvationThresholdNs: 1 ms. */
    static final long STARVATION_THRESHOLD_NS = 1_000_000L;
    /** Go's active_spin: rounds of spinning before queueing (Park.canSpin decides each round). */
    private static final int SPIN_ROUNDS = Integer.getInteger("goloom.mutex.spin", Park.ACTIVE_SPIN);
    /** Go's active_spin_cnt: pause instructions per round. */
    private static final int SPIN_PAUSES = 30;

    /** Waiter.status values (I4). */
    static final int WAITING = 0;
    static final int WOKEN_UP = 1;
    static final int HANDOFF = 2;

    /** A goroutine queued on the mutex: Go's sudog. */
    static final class Waiter {
        final Thread thread;
        /** guarded by qlock. */
        Waiter prev;
        Waiter next;
        /** written under qlock by the unlocker (volatile: read by the parked waiter). */
        volatile int status;
        /** System.nanoTime() of the first enqueue of this lock() call. */
        long waitStart;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private volatile int state;
    /** guards the wait queue (QLock word). */
    private volatile int qlock;
    /** the wait queue: guarded by qlock. */
    private Waiter head;
    private Waiter tail;
    /** debug only: the thread that holds the lock (plain; see SyncDebug). */
    Thread owner;

    private static final VarHandle STATE;
    private static final VarHandle QLOCK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Mutex.class, "state", int.class);
            QLOCK = l.findVarHandle(Mutex.class, "qlock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Creates an unlocked Mutex (Go's zero value). */
    public Mutex() {
    }

    /**
     * Locks the Mutex, blocking while another goroutine holds it.
     *
     * @throws GoInterruptedException if the calling thread is interrupted while it waits (the
     *         lock is then not held and the interrupt flag stays set)
     */
    public void lock() {
        if (STATE.compareAndSet(this, 0, LOCKED)) {   // fast path: pairs with unlock's AND
            owner = Thread.currentThread();
            return;
        }
        lockSlow(WaitReason.MUTEX_LOCK, true);
        owner = Thread.currentThread();
    }

    /**
     * Tries to lock the Mutex without blocking: Go's {@code TryLock}. Fails if the Mutex is held or
     * in starvation mode (waiters are owed it first).
     *
     * @return whether the lock was taken
     */
    public boolean tryLock() {
        int old = state;
        if ((old & (LOCKED | STARVING)) != 0) {
            return false;
        }
        if (!STATE.compareAndSet(this, old, old | LOCKED)) {
            return false;
        }
        owner = Thread.currentThread();
        return true;
    }

    /**
     * Unlocks the Mutex. The calling goroutine need not be the one that locked it.
     *
     * @throws IllegalStateException {@code "sync: unlock of unlocked mutex"} if it is not locked
     */
    public void unlock() {
        owner = null;
        // One atomic read-modify-write that clears LOCKED whatever else changed in the word (Go
        // adds -mutexLocked; an AND also leaves the word untouched when the lock was not held, so
        // a misuse, even one racing another unlock, is detected atomically and corrupts nothing):
        // pairs with lock's CAS.
        int old = (int) STATE.getAndBitwiseAnd(this, ~LOCKED);
        if (old == LOCKED) {
            return;
        }
        if ((old & LOCKED) == 0) {
            throw new IllegalStateException("sync: unlock of unlocked mutex");
        }
        unlockSlow(old & ~LOCKED);
    }

    /**
     * lock() for the sync package: records {@code why} while blocked; an uninterruptible call
     * keeps the interrupt flag but does not answer it (Cond re-locking after a wait).
     */
    void lock(WaitReason why, boolean interruptible) {
        if (!STATE.compareAndSet(this, 0, LOCKED)) {
            lockSlow(why, interruptible);
        }
        owner = Thread.currentThread();
    }

    @Override
    public String toString() {
        int s = state;
        return "Mutex[" + ((s & LOCKED) != 0 ? "locked" : "unlocked")
                + ((s & STARVING) != 0 ? ", starving" : "")
                + ", waiters=" + (s >>> WAITER_SHIFT) + "]";
    }

    // ------------------------------------------------------------------------------ lockSlow

    private void lockSlow(WaitReason why, boolean interruptible) {
        Waiter w = null;
        long waitStart = 0;
        boolean starving = false;
        boolean awoke = false;
        boolean interrupted = false;   // uninterruptible mode: an interrupt to restore at the end
        boolean requeue = false;       // woken once already: go back to the head of the queue
        int iter = 0;
        for (;;) {
            int old = state;
            // Pass 1: spin while the lock is held in normal mode, nobody is queued, and spinning
            // may pay off (Park.canSpin). Go also spins past queued waiters, announcing itself
            // with WOKEN; goloom does not (Implementation notes, (d)).
            if ((old & (LOCKED | STARVING)) == LOCKED && (old >>> WAITER_SHIFT) == 0
                    && iter < SPIN_ROUNDS && Park.canSpin(iter)) {
                for (int i = 0; i < SPIN_PAUSES && (state & LOCKED) != 0; i++) {
                    Thread.onSpinWait();   // stop pausing as soon as the holder lets go
                }
                iter++;
                continue;
            }
            // Pass 2: a free lock in normal mode: take it (never while STARVING: I1').
            if ((old & (LOCKED | STARVING)) == 0) {
                int nu = old | LOCKED;
                if (awoke) {
                    nu &= ~WOKEN;   // keeps I2
                }
                if (STATE.compareAndSet(this, old, nu)) {
                    break;
                }
                continue;
            }
            // Pass 3: queue (FIFO the first time, LIFO after a wake-up) and park.
            if (w == null) {
                w = new Waiter(Thread.currentThread());
                waitStart = System.nanoTime();
                w.waitStart = waitStart;
            }
            if (!enqueue(w, awoke, starving, requeue)) {
                continue;   // the lock was released meanwhile; WOKEN (if ours) is still ours
            }
            awoke = false;  // enqueue cleared WOKEN for us
            int st = interruptible ? awaitInterruptibly(w, why) : awaitUninterruptibly(w, why);
            if (st < 0) {
                interrupted = true;
                st = -st;
            }
            if (st == HANDOFF) {
                break;   // I5: handoff() set LOCKED again for us
            }
            // a normal-mode wake-up: the unlocker set WOKEN for us (I2); compete again
            awoke = true;
            requeue = true;
            iter = 0;
            starving = starving || System.nanoTime() - waitStart > STARVATION_THRESHOLD_NS;
            w.status = WAITING;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Under qlock, counts {@code w} in the state word (clearing WOKEN if {@code awoke}, setting
     * STARVING if {@code starving}) and links it. Returns false, linking nothing, if the lock is
     * free in normal mode (in starvation mode it is never free for an arrival: I1').
     */
    private boolean enqueue(Waiter w, boolean awoke, boolean starving, boolean lifo) {
        QLock.acquire(QLOCK, this);
        try {
            for (;;) {
                int old = state;
                if ((old & (LOCKED | STARVING)) == 0) {
                    return false;        // free: go and take it
                }
                int nu = old + WAITER;   // keeps I3 together with the link below
                if (awoke) {
                    assert (old & WOKEN) != 0 : "sync: inconsistent mutex state";
                    nu &= ~WOKEN;
                }
                if (starving) {
                    nu |= STARVING;      // keeps I1: LOCKED is set
                }
                if (STATE.compareAndSet(this, old, nu)) {
                    break;
                }
            }
            if (lifo) {
                linkFirst(w);
            } else {
                linkLast(w);
            }
            return true;
        } finally {
            QLock.release(QLOCK, this);
        }
    }

    /** Parks until dequeued; returns the status. On interrupt withdraws (or undoes) and throws. */
    private int awaitInterruptibly(Waiter w, WaitReason why) {
        for (;;) {
            int st = w.status;
            if (st != WAITING) {
                return st;
            }
            if (Thread.currentThread().isInterrupted()) {
                cancel(w);   // throws
            }
            Park.park(this, why);
        }
    }

    /** Parks until dequeued; returns the status, negated if an interrupt was swallowed. */
    private int awaitUninterruptibly(Waiter w, WaitReason why) {
        boolean interrupted = false;
        for (;;) {
            int st = w.status;
            if (st != WAITING) {
                return interrupted ? -st : st;
            }
            Park.park(this, why);
            if (Thread.interrupted()) {
                interrupted = true;   // restored by lockSlow; park would not block with it set
            }
        }
    }

    /**
     * The interrupted waiter {@code w} gives up. Still queued: unlink and uncount it. Already
     * dequeued: undo what the unlocker gave it (the lock itself, or the WOKEN duty). Then throws.
     */
    private void cancel(Waiter w) {
        int st;
        QLock.acquire(QLOCK, this);
        try {
            st = w.status;
            if (st == WAITING) {
                unlink(w);
                addWaiters(-1);          // keeps I3
            }
        } finally {
            QLock.release(QLOCK, this);
        }
        if (st == HANDOFF) {
            unlock();                    // I5: it was ours; pass it on
        } else if (st == WOKEN_UP) {
            passWoken();                 // I2: the WOKEN duty was ours
        }
        throw new GoInterruptedException("sync: Mutex.lock interrupted");
    }

    /** Drops the WOKEN duty: clears WOKEN, or, if the lock is free with waiters, wakes one. */
    private void passWoken() {
        for (;;) {
            int old = state;
            if ((old & (LOCKED | STARVING)) == 0 && (old >>> WAITER_SHIFT) != 0) {
                wakeOne();               // WOKEN stays set and passes to the woken waiter
                return;
            }
            if (STATE.compareAndSet(this, old, old & ~WOKEN)) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------ unlockSlow

    /** After unlock's AND left {@code nu} (LOCKED already cleared): wake or hand off. */
    private void unlockSlow(int nu) {
        if ((nu & STARVING) != 0) {
            handoff();                   // I1': nobody can take it meanwhile (STARVING bars them)
            return;
        }
        for (int old = nu; ; old = state) {
            if ((old >>> WAITER_SHIFT) == 0 || (old & (LOCKED | WOKEN | STARVING)) != 0) {
                // nobody to wake, someone took it (its unlock will wake), or a woken goroutine
                // is about to compete
                return;
            }
            if (STATE.compareAndSet(this, old, old | WOKEN)) {   // I2: WOKEN is ours
                wakeOne();
                return;
            }
        }
    }

    /** Normal mode: the caller owns WOKEN (I2); dequeue the head waiter and hand WOKEN to it. */
    private void wakeOne() {
        Waiter w;
        QLock.acquire(QLOCK, this);
        try {
            w = head;
            if (w == null) {
                // I3: no waiters left (they withdrew); drop WOKEN ourselves
                for (;;) {
                    int old = state;
                    if (STATE.compareAndSet(this, old, old & ~WOKEN)) {
                        break;
                    }
                }
                return;
            }
            unlink(w);
            addWaiters(-1);          // keeps I3
            w.status = WOKEN_UP;     // I4; volatile: pairs with the waiter's read in await*
        } finally {
            QLock.release(QLOCK, this);
        }
        Park.ready(w.thread);
    }

    /**
     * Starvation mode: the caller's unlock cleared LOCKED with STARVING still set, so no one
     * else can take the lock (I1'); give it to the head waiter with LOCKED set again (I5).
     */
    private void handoff() {
        Waiter w;
        QLock.acquire(QLOCK, this);
        try {
            w = head;
            if (w == null) {
                // every waiter withdrew: leave starvation mode (unlock's AND already cleared
                // LOCKED; keeps I1)
                STATE.getAndBitwiseAnd(this, ~STARVING);
                return;
            }
            unlink(w);
            boolean leaveStarving = head == null
                    || System.nanoTime() - w.waitStart < STARVATION_THRESHOLD_NS;
            for (;;) {                       // keeps I3, I1; LOCKED set again, for w (I5)
                int old = state;
                int nu = (old - WAITER) | LOCKED;
                if (leaveStarving) {
                    nu &= ~STARVING;
                }
                if (STATE.compareAndSet(this, old, nu)) {
                    break;
                }
            }
            w.status = HANDOFF;              // I4, I5; volatile: pairs with the waiter's read
        } finally {
            QLock.release(QLOCK, this);
        }
        Park.ready(w.thread);
    }

    // ------------------------------------------------------------------------------ queue

    /** Under qlock: adds {@code delta} waiters to the state word (I3). */
    private void addWaiters(int delta) {
        STATE.getAndAdd(this, delta * WAITER);
    }

    private void linkLast(Waiter w) {
        Waiter t = tail;
        w.prev = t;
        w.next = null;
        if (t == null) {
            head = w;
        } else {
            t.next = w;
        }
        tail = w;
    }

    private void linkFirst(Waiter w) {
        Waiter h = head;
        w.next = h;
        w.prev = null;
        if (h == null) {
            tail = w;
        } else {
            h.prev = w;
        }
        head = w;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
    }

    /** White-box check of I1 and I3 (tests call it when the Mutex is quiescent). */
    void checkInvariants() {
        QLock.acquire(QLOCK, this);
        try {
            int s = state;
            int n = 0;
            for (Waiter w = head; w != null; w = w.next) {
                n++;
                if (w.status != WAITING) {
                    throw new AssertionError("I4: queued waiter with status " + w.status);
                }
            }
            if ((s >>> WAITER_SHIFT) != n) {
                throw new AssertionError("I3: count " + (s >>> WAITER_SHIFT) + " but " + n + " queued");
            }
            if ((s & STARVING) != 0 && (s & LOCKED) == 0) {
                throw new AssertionError("I1: starving but unlocked");
            }
        } finally {
            QLock.release(QLOCK, this);
        }
    }

    /** The raw state word (tests). */
    int state() {
        return state;
    }
}
