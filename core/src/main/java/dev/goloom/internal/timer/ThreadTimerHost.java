package dev.goloom.internal.timer;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The default {@link TimerHost}: a few striped heaps run by one daemon platform thread,
 * {@code goloom-timer}, which parks until the earliest {@code when} and is unparked when an
 * earlier timer arrives. Used until the GMP scheduler installs per-P heaps.
 */
public final class ThreadTimerHost implements TimerHost {
    /* Implementation notes
     *
     * Overview
     *   heaps[k] takes the timers started by threads whose id is k modulo the stripe count, so
     *   goroutines on different carriers rarely meet on one heap lock. The runner loops: run
     *   every heap's expired timers, compute the earliest nextWhen, publish it in `sleepUntil`,
     *   re-check, park until then. It is started lazily by the first timerAdded.
     *
     * Lineage
     *   The role of Go's sysmon/netpoller timer wake-up (wakeNetPoller) for a runtime without
     *   per-P heaps; Go 1.9's single timerproc goroutine per bucket (timersBucket, 64 stripes).
     *
     * Invariants
     *   I1 while the runner is parked, sleepUntil <= every heap's nextWhen, or an unpark is on its
     *      way (timerAdded saw an earlier when than sleepUntil).
     *
     * Ownership & locking
     *   sleepUntil: written by the runner only; read by timerAdded. No lock: the heaps' own locks
     *   guard the heaps.
     *
     * Memory ordering
     *   Dekker pair (keeps I1): runner writes sleepUntil (volatile) then reads every nextWhen
     *   (volatile); an adder writes nextWhen (volatile, in TimerHeap) then reads sleepUntil. By
     *   sequential consistency of volatiles one of them sees the other: either the runner sees the
     *   new earliest time and does not sleep past it, or the adder sees the planned sleep and
     *   unparks. An unpark that arrives before the park leaves a permit: no lost wake-up.
     *
     * Rejected alternatives
     *   A ScheduledThreadPoolExecutor: a binary heap of futures, cancel leaves garbage unless
     *   removeOnCancel, and no nextWhen for a scheduler to sleep on. One thread per heap: more
     *   threads for no gain while callbacks are this short.
     */

    private final TimerHeap[] heaps;
    private final List<TimerHeap> heapList;
    private final Thread runner;
    private volatile boolean started;
    /** when the runner plans to wake; Long.MIN_VALUE while it is awake (I1). */
    private volatile long sleepUntil = Long.MIN_VALUE;

    /** A host with {@code stripes} heaps. */
    public ThreadTimerHost(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("stripes " + stripes);
        }
        heaps = new TimerHeap[stripes];
        for (int i = 0; i < stripes; i++) {
            heaps[i] = new TimerHeap(this);
        }
        heapList = List.of(heaps);
        runner = Thread.ofPlatform().daemon().name("goloom-timer").unstarted(this::loop);
    }

    /** A host with one heap per core, at most 8. */
    public ThreadTimerHost() {
        this(Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public TimerHeap heapForCurrent() {
        return heaps[(int) (Thread.currentThread().threadId() % heaps.length)];
    }

    @Override
    public void timerAdded(TimerHeap h, long when) {
        if (!started) {
            start();
        }
        if (when < sleepUntil) {                 // Dekker read: pairs with loop()'s write
            LockSupport.unpark(runner);
        }
    }

    @Override
    public List<TimerHeap> heaps() {
        return heapList;
    }

    private synchronized void start() {
        if (!started) {
            runner.start();
            started = true;
        }
    }

    /** The runner thread (white box). */
    Thread runner() {
        return runner;
    }

    private void loop() {
        for (;;) {
            sleepUntil = Long.MIN_VALUE;
            Timer.expunge();                     // drop timers whose weak argument was collected
            long now = System.nanoTime();
            for (TimerHeap h : heaps) {
                h.runExpired(now);
            }
            long next = earliest();
            sleepUntil = next;                   // Dekker write: pairs with timerAdded's read
            if (earliest() < next) {             // an earlier timer arrived meanwhile
                continue;
            }
            if (next == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long d = next - System.nanoTime();
                if (d > 0) {
                    LockSupport.parkNanos(this, d);
                }
            }
        }
    }

    private long earliest() {
        long m = Long.MAX_VALUE;
        for (TimerHeap h : heaps) {
            m = Math.min(m, h.nextWhen());
        }
        return m;
    }
}
