package dev.goloom.internal.timer;

import dev.goloom.internal.sched.SchedLock;
import dev.goloom.internal.sched.TimerQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A 4-ary min-heap of {@link Timer}s ordered by {@code when}: Go's per-P {@code timers}.
 *
 * <p>It is the scheduler's {@link TimerQueue}: whoever owns the heap (the {@code goloom-timer} thread of {@link ThreadTimerHost}, later a
 * scheduler P's M and sysmon) calls {@link #runExpired(long)} when {@link #nextWhen()} has
 * passed, and may sleep until {@link #nextWhen()} otherwise; {@link TimerHost#timerAdded} tells
 * it when a new earliest timer arrives.
 */
public final class TimerHeap implements TimerQueue {
    /* Implementation notes
     *
     * Overview
     *   Two parallel arrays, ts[] (the timers) and ws[] (their `when`, copied so sifting compares
     *   longs in one array without touching the Timer objects: Go's timerWhen{timer, when}).
     *   Slot i's children are 4i+1 .. 4i+4, its parent (i-1)/4. A 4-ary heap is shallower than a
     *   binary one (log4 n levels: 10 for a million timers) and sift-down touches four adjacent
     *   longs per level, one cache line.
     *   Deletion is EAGER: delete(t) removes t from its slot at once (move the last entry in,
     *   sift it up or down: O(log n)). Go 1.14-1.22 deleted lazily (mark, let the owner P clean
     *   up) because only the owner could touch its heap without a lock; here every operation
     *   takes the heap lock anyway, each timer knows its slot (Timer.idx), and eager deletion
     *   keeps the heap exactly the size of the live timers: a server that arms a context deadline
     *   per request and cancels it a millisecond later (the common case) never grows the heap,
     *   needs no zombie count, no periodic compaction, and nextWhen() is exact, so an idle runner
     *   never wakes for a timer that was stopped.
     *
     * Lineage
     *   golang/go src/runtime/time.go @go1.23 (timers.addHeap, deleteMin, siftUp, siftDown,
     *   adjust, run, wakeTime, check); 4-ary heap since go1.10 (CL 60430). Deviations: eager
     *   deletion (above); no per-timer lock; a periodic timer whose weak argument was collected is
     *   dropped at its next firing.
     *
     * Invariants (checked by checkInvariants())
     *   I1 for every slot i > 0: ws[(i-1)/4] <= ws[i]                   (heap order)
     *   I2 for every slot i < n: ts[i].idx == i, ts[i].heap == this, ts[i].when == ws[i]
     *   I3 slots n .. ts.length-1 are null                              (no leaked references)
     *   I4 nextWhen == (n == 0 ? Long.MAX_VALUE : ws[0]) whenever the lock is free
     *   I5 wakers, probes == the number of heaped timers of kind WAKES, PROBE
     *
     * Ownership & locking
     *   lock: a SchedLock (never parks) taken by any thread that adds, deletes or modifies a timer
     *   of this heap (goroutines and plain threads), by the runners in runExpired (scheduler Ms,
     *   sysmon, goloom-timer), and by deadlock detection in hasWakingTimer. It is held only for
     *   O(log n) array work, never while a callback runs, never across a park; nothing else is
     *   locked inside it (lock rank: leaf). Not a ReentrantLock: an M waiting in its AQS queue
     *   behind a parked goroutine waits until that goroutine runs, which may need that very M
     *   (found by TimerStressTest: every P's M stuck, deadlock). Go's timers lock is likewise a
     *   runtime mutex, never a goroutine-parking one.
     *   ts, ws, n, wakers, probes: guarded by lock.
     *
     * Memory ordering
     *   nextWhen is volatile, written under the lock after every change (I4) and read without it
     *   by the runner. The runner's sleep protocol (ThreadTimerHost) is a Dekker pair: the adder
     *   writes nextWhen then reads the runner's planned wake time; the runner writes its planned
     *   wake time then re-reads nextWhen; both volatile, so one of them sees the other.
     *   running is changed by getAndAdd (the runner) and read by hasWakingTimer: a timer taken off
     *   the heap whose callback has not yet readied its goroutine still counts as pending.
     *
     * Rejected alternatives
     *   Lazy deletion (Go <= 1.22): see Overview. A hashed timing wheel (Netty, Kafka): O(1) but
     *   tick-granular and without an exact next deadline for the idle M to sleep until. A
     *   java.util.PriorityQueue: binary, Object-compare, O(n) remove(Object).
     */

    private static final int MIN_CAP = 16;

    /** the host that runs this heap and is told about new earliest timers. */
    private final TimerHost host;
    /** the heap lock; see Ownership & locking. */
    final SchedLock lock = new SchedLock();
    private Timer[] ts = new Timer[MIN_CAP];
    private long[] ws = new long[MIN_CAP];
    private int n;
    private int wakers;
    private int probes;
    /** ws[0], or Long.MAX_VALUE if empty (I4); volatile: read without the lock. */
    private volatile long nextWhen = Long.MAX_VALUE;
    /** callbacks taken off the heap and not yet returned. */
    private volatile int running;

    private static final VarHandle RUNNING;
    static {
        try {
            RUNNING = MethodHandles.lookup().findVarHandle(TimerHeap.class, "running", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public TimerHeap(TimerHost host) {
        this.host = host;
    }

    public TimerHost host() {
        return host;
    }

    /** The earliest {@code when} in the heap, or {@link Long#MAX_VALUE} if empty; lock-free. */
    @Override
    public long nextWhen() {
        return nextWhen;
    }

    /** The number of timers in the heap. */
    public int size() {
        lock.lock();
        try {
            return n;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------ add / delete / modify

    /**
     * Adds an idle timer: Go's {@code timers.addHeap}. False (and nothing done) if the timer is
     * already in a heap. Calls {@link TimerHost#timerAdded} when it became the earliest.
     */
    boolean tryAdd(Timer t, long when, long period) {
        long before;
        lock.lock();
        try {
            if (!Timer.HEAP.compareAndSet(t, null, this)) {     // keeps I2
                return false;
            }
            before = nextWhen;
            t.when = when;
            t.period = period;
            push(t);
            count(t, 1);
            nextWhen = ws[0];                                    // keeps I4
        } finally {
            lock.unlock();
        }
        if (when < before) {
            host.timerAdded(this, when);
        }
        return true;
    }

    /** Removes {@code t} if it is in this heap; bumps its seq. False if it is not here. */
    boolean delete(Timer t) {
        lock.lock();
        try {
            if (t.heap != this) {
                return false;
            }
            removeAt(t.idx);
            count(t, -1);
            Timer.SEQ.getAndAdd(t, 1L);
            t.heap = null;                                       // keeps I1, I2
            nextWhen = n == 0 ? Long.MAX_VALUE : ws[0];          // keeps I4
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Moves {@code t}, in this heap, to {@code when}; bumps its seq. False if it is not here. */
    boolean modify(Timer t, long when, long period) {
        long before;
        lock.lock();
        try {
            if (t.heap != this) {
                return false;
            }
            before = nextWhen;
            Timer.SEQ.getAndAdd(t, 1L);
            t.when = when;
            t.period = period;
            int i = t.idx;
            ws[i] = when;
            if (!siftUp(i)) {
                siftDown(i);
            }
            nextWhen = ws[0];                                    // keeps I4
        } finally {
            lock.unlock();
        }
        if (when < before) {
            host.timerAdded(this, when);
        }
        return true;
    }

    // ------------------------------------------------------------------------ run

    /**
     * Runs every timer due at {@code now}: Go's {@code timers.run}. One-shot timers leave the
     * heap; periodic ones are re-armed at the next multiple of their period after {@code now}
     * (missed periods are skipped, as Go's tickers do); a timer whose weak argument was
     * collected is dropped unfired. Each callback runs outside the lock. Returns the number of
     * callbacks run.
     */
    @Override
    public int runExpired(long now) {
        if (nextWhen > now) {
            return 0;
        }
        int ran = 0;
        for (;;) {
            Timer t;
            Object a;
            long seq;
            lock.lock();
            try {
                if (n == 0 || ws[0] > now) {
                    return ran;
                }
                t = ts[0];
                a = t.weak ? ((WeakReference<?>) t.arg).get() : t.arg;
                seq = t.seq;                                     // I3: read before heap = null
                if (t.weak && a == null) {
                    takeTop(t);                                  // collected: drop unfired
                    continue;
                }
                if (t.period > 0) {
                    t.when = nextPeriod(t.when, t.period, now);
                    ws[0] = t.when;
                    siftDown(0);
                    nextWhen = ws[0];
                } else {
                    takeTop(t);
                }
                RUNNING.getAndAdd(this, 1);
            } finally {
                lock.unlock();
            }
            try {
                t.f.fire(t, a, seq, now);
            } catch (Throwable e) {
                report(e);
            } finally {
                RUNNING.getAndAdd(this, -1);
            }
            ran++;
        }
    }

    /** The first when + k*period (k >= 1) after now, saturating: missed ticks are skipped. */
    static long nextPeriod(long when, long period, long now) {
        long k = 1 + Math.max(0, now - when) / period;
        try {
            return Math.addExact(when, Math.multiplyExact(period, k));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Removes the top timer t (lock held). */
    private void takeTop(Timer t) {
        removeAt(0);
        count(t, -1);
        t.heap = null;                                           // keeps I1, I2
        nextWhen = n == 0 ? Long.MAX_VALUE : ws[0];              // keeps I4
    }

    /** A callback failed: a bug in goloom (callbacks are internal); report it, keep running. */
    private static void report(Throwable e) {
        System.err.println("goloom: a timer callback threw (timer callbacks must not fail):");
        e.printStackTrace();
    }

    // ------------------------------------------------------------------------ deadlock detection

    /**
     * True if a timer in this heap can wake a goroutine: a {@link Timer#WAKES} timer, a callback
     * in flight, or a {@link Timer#PROBE} timer whose {@link TimerFunc#canWake} says so (asked
     * outside the lock).
     */
    public boolean hasWakingTimer() {
        if (running > 0) {
            return true;
        }
        List<Timer> probe;
        lock.lock();
        try {
            if (wakers > 0) {
                return true;
            }
            if (probes == 0) {
                return false;
            }
            probe = new ArrayList<>(probes);
            for (int i = 0; i < n; i++) {
                if (ts[i].kind == Timer.PROBE) {
                    probe.add(ts[i]);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Timer t : probe) {
            Object a = t.arg();
            if ((a != null || !t.weak) && t.f.canWake(a)) {
                return true;
            }
        }
        return false;
    }

    private void count(Timer t, int d) {
        if (t.kind == Timer.WAKES) {
            wakers += d;
        } else if (t.kind == Timer.PROBE) {
            probes += d;
        }
    }

    // ------------------------------------------------------------------------ the 4-ary heap

    private void push(Timer t) {
        if (n == ts.length) {
            resize(ts.length * 2);
        }
        int i = n++;
        ts[i] = t;
        ws[i] = t.when;
        t.idx = i;
        siftUp(i);
    }

    private void removeAt(int i) {
        Timer t = ts[i];
        int last = --n;
        if (i != last) {
            ts[i] = ts[last];
            ws[i] = ws[last];
            ts[i].idx = i;
        }
        ts[last] = null;                                         // keeps I3
        t.idx = -1;
        if (i != last && !siftUp(i)) {
            siftDown(i);
        }
        if (ts.length > MIN_CAP && n < ts.length / 4) {
            resize(ts.length / 2);
        }
    }

    private void resize(int cap) {
        ts = Arrays.copyOf(ts, cap);
        ws = Arrays.copyOf(ws, cap);
    }

    /** Moves slot i up while it is earlier than its parent; true if it moved. */
    private boolean siftUp(int i) {
        Timer t = ts[i];
        long w = ws[i];
        int start = i;
        while (i > 0) {
            int p = (i - 1) >> 2;
            if (w >= ws[p]) {
                break;
            }
            ts[i] = ts[p];
            ws[i] = ws[p];
            ts[i].idx = i;
            i = p;
        }
        ts[i] = t;
        ws[i] = w;
        t.idx = i;
        return i != start;
    }

    /** Moves slot i down while a child is earlier. */
    private void siftDown(int i) {
        Timer t = ts[i];
        long w = ws[i];
        for (;;) {
            int c = (i << 2) + 1;
            if (c >= n) {
                break;
            }
            int end = Math.min(c + 4, n);
            int m = c;
            long mw = ws[c];
            for (int j = c + 1; j < end; j++) {
                if (ws[j] < mw) {
                    m = j;
                    mw = ws[j];
                }
            }
            if (mw >= w) {
                break;
            }
            ts[i] = ts[m];
            ws[i] = mw;
            ts[i].idx = i;
            i = m;
        }
        ts[i] = t;
        ws[i] = w;
        t.idx = i;
    }

    // ------------------------------------------------------------------------ white box

    /** Checks I1-I5; throws IllegalStateException naming the first broken one. */
    void checkInvariants() {
        lock.lock();
        try {
            int wk = 0;
            int pr = 0;
            for (int i = 0; i < n; i++) {
                Timer t = ts[i];
                if (i > 0 && ws[(i - 1) >> 2] > ws[i]) {
                    throw new IllegalStateException("I1: slot " + i + " earlier than its parent");
                }
                if (t == null || t.idx != i || t.heap != this || t.when != ws[i]) {
                    throw new IllegalStateException("I2: slot " + i + " " + t);
                }
                if (t.kind == Timer.WAKES) {
                    wk++;
                } else if (t.kind == Timer.PROBE) {
                    pr++;
                }
            }
            for (int i = n; i < ts.length; i++) {
                if (ts[i] != null) {
                    throw new IllegalStateException("I3: slot " + i + " beyond size " + n);
                }
            }
            if (nextWhen != (n == 0 ? Long.MAX_VALUE : ws[0])) {
                throw new IllegalStateException("I4: nextWhen " + nextWhen);
            }
            if (wk != wakers || pr != probes) {
                throw new IllegalStateException("I5: wakers " + wakers + "/" + wk + ", probes " + probes + "/" + pr);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "timers[n=" + n + ", wakers=" + wakers + ", probes=" + probes + ", running=" + running
                    + ", nextWhen=" + (n == 0 ? "none" : (ws[0] - System.nanoTime()) / 1000 + "us") + "]";
        } finally {
            lock.unlock();
        }
    }

    /** Capacity of the arrays (white box: shrinking). */
    int capacity() {
        lock.lock();
        try {
            return ts.length;
        } finally {
            lock.unlock();
        }
    }
}
