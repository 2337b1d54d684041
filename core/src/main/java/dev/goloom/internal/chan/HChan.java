package dev.goloom.internal.chan;

import dev.goloom.ChanClosedException;
import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A channel: Go's {@code hchan}. The engine behind {@code dev.goloom.Chan}; values are untyped
 * here ({@code Object}, {@code null} allowed).
 *
 * <p>{@link #chansend}, {@link #chanrecv} and {@link #closechan} are Go's functions of the same
 * names; {@link SelectGo} is {@code selectgo}. The time package uses {@link #hasWaiters()} to
 * tell whether a timer channel is pending work for deadlock detection.
 */
public final class HChan {
    /* Implementation notes
     *
     * Overview
     *   One short spin lock per channel guards a circular buffer (buf, sendx, recvx, qcount) and
     *   two FIFO wait queues of sudogs (sendq, recvq). A send first looks for a waiting receiver
     *   and hands it the value directly (no buffer round trip), then for room in the buffer, and
     *   only then enqueues itself and parks. A receive is the mirror image; on a full buffered
     *   channel with a waiting sender it takes the head of the buffer and moves the sender's value
     *   to the tail, so FIFO order holds. close marks the channel and wakes every waiter: the
     *   receivers get (null, ok=false), the senders throw. Waking is Park.ready after the lock is
     *   released; only a close with more than CLOSE_BATCH + 1 waiters readies the rest under the
     *   lock (a bounded batch, so that close allocates nothing in proportion to its waiters).
     *   Non-blocking operations (trySend/tryRecv, select with default) first answer "would block"
     *   without the lock (Go's full()/empty() checks), so a poll of an idle channel costs two
     *   loads.
     *
     * Lineage
     *   golang/go src/runtime/chan.go (go1.22/1.23: makechan, chansend, chanrecv, send, recv,
     *   closechan, full, empty) and lock_futex.go (the lock's spin-then-yield shape).
     *   Deviations: values are references, so "typedmemmove" is a field store; Go's sudog.elem
     *   points into the waiter's stack, ours holds the value itself; a woken waiter's "done"
     *   flag replaces gp.param; the lock never sleeps in the kernel (see ADR 0001); interrupts
     *   (absent in Go) cancel a wait, see "Interrupts" below.
     *
     * Invariants (checked by checkInvariants())
     *   I1 at least one of sendq and recvq is empty, except on an unbuffered channel where one
     *      select waits to send and receive on it at once (then both hold only that select's
     *      sudogs); stale sudogs of completed selects may linger until their owner removes them.
     *   I2 0 <= qcount <= dataqsiz; sendx == (recvx + qcount) % dataqsiz when dataqsiz > 0;
     *      buffer slots outside the live region hold null (nothing is pinned).
     *   I3 qcount > 0 implies recvq holds no live waiter; qcount < dataqsiz implies sendq holds
     *      no live waiter.
     *   I4 closed implies sendq holds no live waiter (close wakes them all, and no send enqueues
     *      on a closed channel); closed goes 0 -> 1 once.
     *   I5 a sudog on a queue belongs to a thread that is parked or about to park; it leaves the
     *      queue exactly once, under the lock, either by a waker (which then sets done/winner
     *      under the same lock) or by its owner (interrupt, or select cleanup).
     *
     * Ownership & locking
     *   Everything but 'id', 'dataqsiz' and 'buf' (final) is guarded by 'lock'. Lock rank: a
     *   channel lock is a leaf, except in select, which takes several channel locks in
     *   increasing 'id' order (SelectGo.sellock). Never park, ready, allocate much, or run user
     *   code while holding it.
     *
     * Memory ordering
     *   lock: CAS acquire / setRelease release; every guarded field is published by it.
     *   qcount: setRelease under the lock; getAcquire in the lock-free probes full()/empty() and
     *     len(). closed: setRelease under the lock; getAcquire in the probes. The probes need
     *     only that each load returns a value the field really held, in program order: Go's
     *     argument (chan.go, selectnbsend/chanrecv) that two such observations imply a moment at
     *     which the channel was both "open" and "not ready". getAcquire on the first load keeps
     *     the second after it.
     *   Sudog.done / SelectState.winner: see those classes.
     *
     * Interrupts
     *   A thread parked in chansend/chanrecv that sees its interrupt flag re-takes the lock. If
     *   its sudog is still queued (done still false), no waker has touched it: it removes itself
     *   and throws GoInterruptedException; the value stays with the sender. If done is already
     *   true the transfer happened under the lock before we took it: the operation succeeded and
     *   returns normally with the flag still set.
     *
     * Rejected alternatives
     *   A lock-free segment channel (Koval et al., PPoPP 2023; kotlinx, jox): faster under heavy
     *   contention but not Go's algorithm, and select over it needs a different protocol; kept as
     *   the known next step (DESIGN.md section 4). ReentrantLock / synchronized as the channel
     *   lock: see docs/adr/0001-channel-lock.md.
     */

    /** Waiters a close readies after its unlock, besides the first (see closechan). */
    private static final int CLOSE_BATCH = 32;

    /** Returned by {@link #chanrecv} when the channel is closed and drained. */
    public static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };
    /** Returned by a non-blocking {@link #chanrecv} when nothing is ready. */
    public static final Object WOULD_BLOCK = new Object() {
        @Override
        public String toString() {
            return "WOULD_BLOCK";
        }
    };

    private static final AtomicLong IDS = new AtomicLong();
    /**
     * Spin iterations before the lock starts yielding (Go's lock2: 4 x 30 PAUSE, and none on a
     * single CPU, where the holder cannot run while we spin).
     */
    private static final int ACTIVE_SPIN = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;

    /** unique, increasing: the lock order of select. */
    final long id;
    /** capacity; 0 for an unbuffered channel. */
    final int dataqsiz;
    /** the circular buffer (null when unbuffered). */
    private final Object[] buf;
    /** number of values in buf (I2); guarded by lock, read lock-free with getAcquire. */
    private int qcount;
    private int sendx;
    private int recvx;
    /** 0 open, 1 closed (I4); guarded by lock, read lock-free with getAcquire. */
    private int closed;
    final WaitQ recvq = new WaitQ();
    final WaitQ sendq = new WaitQ();
    /** 0 free, 1 held. */
    private volatile int lock;
    /** Go's c.timer != nil; written once before publication (markTimerChan). */
    private boolean timerChan;

    private static final VarHandle LOCK;
    private static final VarHandle QCOUNT;
    private static final VarHandle CLOSEDH;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(HChan.class, "lock", int.class);
            QCOUNT = l.findVarHandle(HChan.class, "qcount", int.class);
            CLOSEDH = l.findVarHandle(HChan.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's makechan. */
    public HChan(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("makechan: size out of range: " + capacity);
        }
        this.dataqsiz = capacity;
        this.buf = capacity == 0 ? null : new Object[capacity];
        this.id = IDS.incrementAndGet();
    }

    // ------------------------------------------------------------------------------ the lock

    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {    // acquire: pairs with unlock()
            lockSlow();
        }
    }

    private void lockSlow() {
        int spins = 0;
        for (;;) {
            if ((int) LOCK.getOpaque(this) == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (spins < ACTIVE_SPIN) {
                spins++;
                Thread.onSpinWait();
            } else {
                Thread.yield();               // Go's osyield; a virtual thread lets others run
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);              // release: pairs with the CAS in lock()
    }

    // ------------------------------------------------------------------------------ probes

    private int qcountAcquire() {
        return (int) QCOUNT.getAcquire(this);  // acquire: pairs with setQcount()
    }

    private void setQcount(int n) {
        QCOUNT.setRelease(this, n);            // release: pairs with qcountAcquire()
    }

    private boolean closedAcquire() {
        return (int) CLOSEDH.getAcquire(this) != 0; // acquire: pairs with closechan's setRelease
    }

    /** Go's full(): would a send block? Lock-free; see "Memory ordering". */
    private boolean full() {
        if (dataqsiz == 0) {
            return recvq.isEmptyAcquire();
        }
        return qcountAcquire() == dataqsiz;
    }

    /** Go's empty(): would a receive block (ignoring close)? Lock-free. */
    private boolean empty() {
        if (dataqsiz == 0) {
            return sendq.isEmptyAcquire();
        }
        return qcountAcquire() == 0;
    }

    /** Go's len(c); 0 for a timer channel (Go 1.23: its one slot is an implementation detail). */
    public int len() {
        return timerChan ? 0 : qcountAcquire();
    }

    /** Go's cap(c); 0 for a timer channel (Go 1.23: timer channels are unbuffered). */
    public int cap() {
        return timerChan ? 0 : dataqsiz;
    }

    /**
     * Marks this channel as the channel of a time.Timer or time.Ticker (Go's c.timer != nil):
     * len and cap then report 0, as Go 1.23's synchronous timer channels do, although one slot
     * holds the value a firing delivers. Called once, before the channel is published (the
     * owner's final field publishes it).
     */
    public void markTimerChan() {
        timerChan = true;
    }

    /** Whether the channel is closed (a racy snapshot). */
    public boolean isClosed() {
        return closedAcquire();
    }

    /** The channel's unique id (the lock order of select). */
    public long id() {
        return id;
    }

    // ------------------------------------------------------------------------------ send

    /**
     * Go's chansend. Blocking: returns true once the value is delivered (or buffered).
     * Non-blocking: returns false instead of blocking.
     *
     * @throws ChanClosedException "send on closed channel" (also when closed while blocked)
     * @throws GoInterruptedException interrupted while blocked; the value was not sent
     */
    public boolean chansend(Object v, boolean block) {
        // Fast path: a non-blocking send on an open, full channel fails without the lock.
        // Order: closed, then full (Go: a closed channel cannot become "not ready for sending"
        // again, so the two observations imply a moment when it was open and not ready).
        if (!block && !closedAcquire() && full()) {
            return false;
        }
        lock();
        if (closed != 0) {
            unlock();
            throw new ChanClosedException("send on closed channel");
        }
        Sudog sg = recvq.dequeue();
        if (sg != null) {
            send(sg, v);                       // unlocks
            return true;
        }
        if (qcount < dataqsiz) {
            bufPut(v);
            unlock();
            return true;
        }
        if (!block) {
            unlock();
            return false;
        }
        return sendSlow(v);                    // with the lock held
    }

    /**
     * Sudog.acquire with the lock held: it may allocate, and an Error (OutOfMemoryError) must
     * not leave the channel locked for ever; the lock is released before it propagates.
     */
    private Sudog acquireSudog(Thread me, Object elem) {
        try {
            return Sudog.acquire(me, this, elem);
        } catch (Throwable t) {
            unlock();
            throw t;
        }
    }

    /** Blocks the calling thread on sendq; the lock is held on entry. */
    private boolean sendSlow(Object v) {
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            unlock();
            throw new GoInterruptedException();
        }
        Sudog sg = acquireSudog(me, v);
        sendq.enqueue(sg);
        unlock();
        parkUntilDone(sg, WaitReason.CHAN_SEND);
        boolean ok = sg.success;
        Sudog.release(sg);
        if (!ok) {
            throw new ChanClosedException("send on closed channel");
        }
        return true;
    }

    /**
     * Go's send: hands v to the receiver sg dequeued from recvq, then unlocks and readies it.
     * On a buffered channel this only happens when the buffer is empty (I3).
     */
    private void send(Sudog sg, Object v) {
        Thread t = sg.thread;
        sendLocked(sg, v);
        unlock();
        Park.ready(t);
        Park.preemptPoint();
    }

    /** The locked part of send: after it, sg belongs to its owner again (read sg.thread first). */
    static void sendLocked(Sudog sg, Object v) {
        sg.elem = v;
        complete(sg);
    }

    /** Appends v to the buffer (lock held, qcount < dataqsiz). */
    void bufPut(Object v) {
        int i = sendx;
        buf[i] = v;
        sendx = ++i == dataqsiz ? 0 : i;
        setQcount(qcount + 1);
    }

    /** Removes the head of the buffer (lock held, qcount > 0). */
    Object bufTake() {
        int i = recvx;
        Object v = buf[i];
        buf[i] = null;                         // keeps I2: nothing pinned
        recvx = ++i == dataqsiz ? 0 : i;
        setQcount(qcount - 1);
        return v;
    }

    /** Lock held: is there room in the buffer? */
    boolean bufHasRoom() {
        return qcount < dataqsiz;
    }

    /** Lock held: are values buffered? */
    boolean bufHasValues() {
        return qcount > 0;
    }

    /** Lock held: is the channel closed? */
    boolean closedLocked() {
        return closed != 0;
    }

    /** Marks sg's operation as completed by a transfer (lock held). */
    private static void complete(Sudog sg) {
        sg.success = true;
        wake(sg);
    }

    /** Publishes the wake-up of sg (lock held); after this the waker must not touch sg. */
    private static void wake(Sudog sg) {
        SelectState sel = sg.sel;
        if (sel == null) {
            sg.setDoneRelease();               // release: pairs with doneAcquire() in parkUntilDone
        } else {
            sel.setWinnerRelease(sg);
        }
    }

    // ------------------------------------------------------------------------------ receive

    /**
     * Go's chanrecv. Returns the value received, {@link #CLOSED} if the channel is closed and
     * drained, or (non-blocking only) {@link #WOULD_BLOCK}.
     *
     * @throws GoInterruptedException interrupted while blocked; nothing was received
     */
    public Object chanrecv(boolean block) {
        // Fast path: a non-blocking receive that would block answers without the lock.
        if (!block && empty()) {
            // Order: empty, then closed, then empty again (Go: once closed, a channel cannot
            // become non-empty, so "empty, closed, still empty" means closed and drained).
            if (!closedAcquire()) {
                return WOULD_BLOCK;
            }
            if (empty()) {
                return CLOSED;
            }
        }
        lock();
        if (closed != 0) {
            if (qcount == 0) {
                unlock();
                return CLOSED;
            }
            // closed with values left in the buffer: fall through and drain it
        } else {
            Sudog sg = sendq.dequeue();
            if (sg != null) {
                return recv(sg);               // unlocks
            }
        }
        if (qcount > 0) {
            Object v = bufTake();
            unlock();
            return v;
        }
        if (!block) {
            unlock();
            return WOULD_BLOCK;
        }
        return recvSlow();
    }

    /** Blocks the calling thread on recvq; the lock is held on entry. */
    private Object recvSlow() {
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            unlock();
            throw new GoInterruptedException();
        }
        Sudog sg = acquireSudog(me, null);
        recvq.enqueue(sg);
        unlock();
        parkUntilDone(sg, WaitReason.CHAN_RECEIVE);
        Object v = sg.success ? sg.elem : CLOSED;
        Sudog.release(sg);
        return v;
    }

    /**
     * Go's recv: completes a receive with the sender sg dequeued from sendq, then unlocks and
     * readies it. Unbuffered: take sg's value directly. Buffered (and therefore full, I3): take
     * the head of the buffer and put sg's value at the tail.
     */
    private Object recv(Sudog sg) {
        Thread t = sg.thread;
        Object v = recvLocked(sg);
        unlock();
        Park.ready(t);
        Park.preemptPoint();
        return v;
    }

    /** The locked part of recv: after it, sg belongs to its owner again (read sg.thread first). */
    Object recvLocked(Sudog sg) {
        Object v;
        if (dataqsiz == 0) {
            v = sg.elem;
        } else {
            int i = recvx;
            v = buf[i];
            buf[i] = sg.elem;
            recvx = ++i == dataqsiz ? 0 : i;
            sendx = recvx;                     // the buffer is full: keeps I2
        }
        sg.elem = null;
        complete(sg);
        return v;
    }

    // ------------------------------------------------------------------------------ park

    /**
     * Parks until a waker completes sg, or cancels sg on interrupt. Returns normally when the
     * operation completed (even if an interrupt arrived meanwhile).
     */
    private void parkUntilDone(Sudog sg, WaitReason why) {
        while (!sg.doneAcquire()) {            // acquire: pairs with wake()
            Park.park(this, why);
            if (!sg.doneAcquire() && Thread.currentThread().isInterrupted()) {
                lock();
                if (sg.doneAcquire()) {        // the transfer beat the interrupt: success
                    unlock();
                    return;
                }
                (why == WaitReason.CHAN_SEND ? sendq : recvq).remove(sg); // keeps I5
                unlock();
                Sudog.release(sg);
                throw new GoInterruptedException();
            }
        }
    }

    // ------------------------------------------------------------------------------ close

    /**
     * Go's closechan: marks the channel closed and wakes every waiter (receivers get CLOSED,
     * senders throw).
     *
     * @throws ChanClosedException "close of closed channel"
     */
    public void closechan() {
        lock();
        if (closed != 0) {
            unlock();
            throw new ChanClosedException("close of closed channel");
        }
        CLOSEDH.setRelease(this, 1);           // release: pairs with closedAcquire(); keeps I4
        // The first 1 + CLOSE_BATCH waiters are readied after the unlock, as Go does; the rest (a
        // mass close), or all but the first when there is no memory for the batch, now, with
        // the lock held: close allocates at most one small array, whatever the number of waiters.
        // (A list of every waiter cost a channel with 60,000 waiters twenty growing copies; in a
        // full heap each took a full collection, and the close, which was to free that heap by
        // ending its waiters, did not finish in a minute: OutOfMemoryFaultTest's child.)
        Thread single = null;
        Thread[] batch = null;
        int nbatch = 0;
        boolean noBatch = false;
        Throwable failure = null;
        for (WaitQ q = recvq; q != null; q = q == recvq ? sendq : null) {
            Sudog sg;
            while ((sg = q.dequeue()) != null) {
                sg.elem = null;
                sg.success = false;
                Thread t = sg.thread;
                wake(sg);
                if (single == null) {
                    single = t;
                    continue;
                }
                if (batch == null && !noBatch) {
                    try {
                        batch = new Thread[CLOSE_BATCH];
                    } catch (OutOfMemoryError e) {
                        noBatch = true;        // and do not try again for every waiter
                    }
                }
                if (batch != null && nbatch < CLOSE_BATCH) {
                    batch[nbatch++] = t;
                } else {
                    failure = readyNoThrow(t, failure);  // never leave with the lock held
                }
            }
        }
        unlock();
        // Ready the others now that we've dropped the channel lock (as Go).
        if (single != null) {
            failure = readyNoThrow(single, failure);
        }
        for (int i = 0; i < nbatch; i++) {
            failure = readyNoThrow(batch[i], failure);
        }
        if (failure instanceof RuntimeException r) {
            throw r;                           // every waiter was readied (or tried) first
        } else if (failure != null) {
            throw (Error) failure;
        }
        if (single != null) {
            Park.preemptPoint();
        }
    }

    /**
     * Readies t; returns the first failure (the one given, else this one's). A close readies
     * every waiter it dequeued whatever happens to one of them: a waiter left parked after its
     * wake-up was published would sleep for ever.
     */
    private static Throwable readyNoThrow(Thread t, Throwable failure) {
        try {
            Park.ready(t);
        } catch (RuntimeException | Error e) {
            return failure != null ? failure : e;
        }
        return failure;
    }

    // ------------------------------------------------------------------------------ queries

    /**
     * True when a goroutine is blocked receiving from this channel, alone or in a select. The
     * time package uses it: a timer whose channel nobody waits on is not pending work.
     */
    public boolean hasWaiters() {
        if (recvq.isEmptyAcquire()) {
            return false;
        }
        lock();
        try {
            return recvq.hasLiveWaiter();
        } finally {
            unlock();
        }
    }

    /** Number of sudogs queued on recvq and sendq (stale ones included); for white-box tests. */
    int[] queueSizes() {
        lock();
        try {
            return new int[] {recvq.size(), sendq.size()};
        } finally {
            unlock();
        }
    }

    /** Checks I1-I4 under the lock; throws AssertionError naming the broken invariant. */
    void checkInvariants() {
        lock();
        try {
            recvq.checkInvariants(this, "recvq");
            sendq.checkInvariants(this, "sendq");
            if (qcount < 0 || qcount > dataqsiz) {
                throw new AssertionError("I2: qcount " + qcount + " outside [0," + dataqsiz + "]");
            }
            if (dataqsiz > 0) {
                if (sendx != (recvx + qcount) % dataqsiz) {
                    throw new AssertionError("I2: sendx " + sendx + " recvx " + recvx + " qcount " + qcount);
                }
                for (int k = qcount; k < dataqsiz; k++) {
                    if (buf[(recvx + k) % dataqsiz] != null) {
                        throw new AssertionError("I2: a free buffer slot pins a value");
                    }
                }
                if (qcount > 0 && recvq.hasLiveWaiter()) {
                    throw new AssertionError("I3: values buffered while a receiver waits");
                }
                if (qcount < dataqsiz && sendq.hasLiveWaiter()) {
                    throw new AssertionError("I3: room in the buffer while a sender waits");
                }
            }
            if (closed != 0 && sendq.hasLiveWaiter()) {
                throw new AssertionError("I4: closed with a waiting sender");
            }
            if (dataqsiz > 0 && recvq.hasLiveWaiter() && sendq.hasLiveWaiter()) {
                throw new AssertionError("I1: senders and receivers wait on a buffered channel");
            }
        } finally {
            unlock();
        }
    }

    // ------------------------------------------------------------------------------ access

    private static volatile Function<Object, HChan> access;

    /**
     * Installs the accessor from {@code dev.goloom.Chan} to its engine (called once by Chan's
     * static initializer; a SharedSecrets-style bridge so Chan need not expose its engine).
     */
    public static void setAccess(Function<Object, HChan> f) {
        if (access == null) {
            access = f;
        }
    }

    /** The engine of a {@code dev.goloom.Chan}, or null when {@code ch} is not one. */
    public static HChan of(Object ch) {
        Function<Object, HChan> f = access;
        return f == null || ch == null ? null : f.apply(ch);
    }

    @Override
    public String toString() {
        return "chan#" + id + "[len " + len() + ", cap " + dataqsiz + (isClosed() ? ", closed" : "") + "]";
    }
}
