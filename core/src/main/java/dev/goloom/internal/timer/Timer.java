package dev.goloom.internal.timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * One timer: Go's {@code runtime.timer}. It fires {@link TimerFunc#fire} at {@code when} (a
 * {@link System#nanoTime()} value) and, if {@code period > 0}, every {@code period} nanoseconds
 * after that. A timer lives in at most one {@link TimerHeap} at a time; {@link #start},
 * {@link #stop} and {@link #reset} find that heap themselves, so any thread may call them.
 *
 * <p>The argument may be held <em>weakly</em> ({@link #weak(TimerFunc, Object, int)}): when the
 * referent is collected the heap drops the timer at its next firing instead of calling
 * {@code f}. The time package uses this so that a ticker (or timer) nobody references any more
 * is collected, as in Go 1.23.
 */
public final class Timer {
    /* Implementation notes
     *
     * Overview
     *   A plain record of when/period/f/arg plus the two links to its heap: `heap` (which heap
     *   holds it, null when idle or firing) and `idx` (its slot there). `seq` counts every
     *   stop/reset so a callback that was already taken off the heap can tell it is stale
     *   (Go 1.23's t.seq).
     *
     * Lineage
     *   golang/go src/runtime/time.go @go1.23 (type timer, modify, stop, reset). Deviations: no
     *   per-timer mutex (the heap's lock guards when/period/idx; `heap` is claimed by CAS), no
     *   zombies (deletion is eager, see TimerHeap), no isChan/blocked bookkeeping (the time
     *   package does that with its own lock, TimeTimer).
     *
     * Invariants
     *   I1 heap != null  <=>  this timer is in heap.ts[idx] (and heap.ws[idx] == when).
     *   I2 heap goes null -> h only by CAS while holding h's lock (TimerHeap.tryAdd), and h -> null
     *      only while holding h's lock (delete, or runExpired taking a one-shot timer off).
     *   I3 seq grows by one on every delete, modify, and stop/reset of an unheaped timer. The seq
     *      a callback receives was read under the heap lock when the timer was taken off (or
     *      re-armed) by runExpired, so a stop/reset that returns after that point has made it stale.
     *
     * Ownership & locking
     *   when, period, idx: guarded by the lock of the heap named by `heap`.
     *   heap: volatile; read without a lock to find which lock to take, then re-checked under it.
     *   seq: bumped atomically (getAndAdd), read by callbacks under their own lock.
     *
     * Memory ordering
     *   heap (volatile) write of null in runExpired happens after its seq read; stop() reads heap
     *   == null (volatile) and only then bumps seq, so a callback in flight always sees its seq
     *   stale once stop() has returned (pairs: runExpired's `t.heap = null` / stop's `heap` read).
     *
     * Rejected alternatives
     *   A per-timer lock as in Go: one more word and one more lock per operation; the heap lock
     *   plus a CAS on `heap` gives the same exclusion for the engine, and the time package's
     *   channel timers need their own lock anyway.
     */

    /** Kind: firing always wakes a goroutine (sleep, afterFunc, a context deadline). */
    public static final int WAKES = 0;
    /** Kind: firing may wake a goroutine; ask {@link TimerFunc#canWake} (timer channels). */
    public static final int PROBE = 1;
    /** Kind: firing never wakes a goroutine by itself (housekeeping). */
    public static final int NONE = 2;

    final TimerFunc f;
    /** the argument, or a WeakReference to it when {@link #weak}. */
    final Object arg;
    final boolean weak;
    final int kind;

    /** guarded by heap's lock (I1). */
    long when;
    /** guarded by heap's lock; 0 for a one-shot timer. */
    long period;
    /** slot in heap.ts; -1 when not heaped; guarded by heap's lock. */
    int idx = -1;
    /** the heap holding this timer, or null (I1, I2). */
    volatile TimerHeap heap;
    /** stop/reset counter (I3). */
    volatile long seq;

    static final VarHandle HEAP;
    static final VarHandle SEQ;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAP = l.findVarHandle(Timer.class, "heap", TimerHeap.class);
            SEQ = l.findVarHandle(Timer.class, "seq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A timer holding {@code arg} strongly; {@code kind} is {@link #WAKES}, {@link #PROBE} or {@link #NONE}. */
    public Timer(TimerFunc f, Object arg, int kind) {
        this(f, arg, false, kind);
    }

    private Timer(TimerFunc f, Object arg, boolean weak, int kind) {
        if (f == null) {
            throw new NullPointerException("timer func");
        }
        if (kind < WAKES || kind > NONE) {
            throw new IllegalArgumentException("timer kind " + kind);
        }
        this.f = f;
        this.arg = weak ? new WeakArg(arg, this) : arg;
        this.weak = weak;
        this.kind = kind;
    }

    /**
     * The weak argument of a weak timer. Once its referent is collected the JDK enqueues it on
     * {@link #QUEUE}; {@link #expunge()} then stops the timer, so an unreferenced timer leaves
     * its heap soon after the GC that found it unreachable, not at its would-be firing time.
     */
    private static final class WeakArg extends WeakReference<Object> {
        /** strong: the queue must lead back to the timer (the timer is otherwise only in its heap). */
        final Timer timer;

        WeakArg(Object referent, Timer timer) {
            super(referent, QUEUE);
            this.timer = timer;
        }
    }

    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();

    /**
     * Stops every weak timer whose argument has been collected since the last call. Cheap when
     * there is none (one read); called when a channel timer is made (TimerChan) and by the
     * plain-thread timer host's rounds (ThreadTimerHost); on the per-P heaps an unreferenced
     * timer is otherwise dropped at its next firing.
     */
    public static void expunge() {
        Reference<?> r;
        while ((r = QUEUE.poll()) != null) {
            ((WeakArg) r).timer.stop();
        }
    }

    /** A timer holding {@code arg} weakly: dropped, unfired, once {@code arg} is collected. */
    public static Timer weak(TimerFunc f, Object arg, int kind) {
        if (arg == null) {
            throw new NullPointerException("weak timer argument");
        }
        return new Timer(f, arg, true, kind);
    }

    /** The argument (null if held weakly and collected). */
    public Object arg() {
        return weak ? ((WeakReference<?>) arg).get() : arg;
    }

    /** The stop/reset counter (I3): a callback compares the seq it was given with this. */
    public long seq() {
        return seq;
    }

    /** True while the timer is in a heap, waiting to fire (or to fire again, if periodic). */
    public boolean isPending() {
        return heap != null;
    }

    /** The kind ({@link #WAKES}, {@link #PROBE}, {@link #NONE}). */
    public int kind() {
        return kind;
    }

    /** When it fires next; a racy read, for dumps and tests. */
    public long when() {
        return when;
    }

    /**
     * Arms an idle timer in the calling thread's heap ({@link TimerHost#heapForCurrent()}).
     *
     * @throws IllegalStateException if the timer is already pending
     */
    public void start(long when, long period) {
        if (!Timers.host.heapForCurrent().tryAdd(this, when, period)) {
            throw new IllegalStateException("goloom: timer already started");
        }
    }

    /** Go's {@code t.stop()}: takes the timer out of its heap; true if it was pending. */
    public boolean stop() {
        for (;;) {
            TimerHeap h = heap;
            if (h == null) {
                SEQ.getAndAdd(this, 1L);    // keeps I3: after the heap==null read (see Memory ordering)
                return false;
            }
            if (h.delete(this)) {
                return true;
            }
        }
    }

    /**
     * Go's {@code t.modify}/{@code t.reset}: re-arms the timer for {@code when} (and
     * {@code period}), in place if pending, else in the calling thread's heap. True if it was
     * pending.
     */
    public boolean reset(long when, long period) {
        for (;;) {
            TimerHeap h = heap;
            if (h != null) {
                if (h.modify(this, when, period)) {
                    return true;
                }
                continue;
            }
            SEQ.getAndAdd(this, 1L);        // keeps I3: a callback in flight is now stale
            if (Timers.host.heapForCurrent().tryAdd(this, when, period)) {
                return false;
            }
            // another thread armed it meanwhile: modify that arming
        }
    }

    @Override
    public String toString() {
        return "timer[when=" + when + ", period=" + period + ", pending=" + (heap != null) + "]";
    }
}
