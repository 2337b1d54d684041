package dev.goloom.time;

import dev.goloom.RecvChan;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import dev.goloom.internal.timer.TimerFunc;
import dev.goloom.internal.timer.Timers;
import java.time.Duration;
import java.time.Instant;

/** {@link Time#afterFunc}: a timer that starts a goroutine running f. */
final class FuncTimer implements Timer, TimerFunc {
    /* Implementation notes
     *
     * Overview
     *   A WAKES timer (it always counts as pending work: it will start a goroutine) whose
     *   callback starts f in a new goroutine of the runtime the timer was created in (the global
     *   runtime when created from a plain thread or when that runtime has been closed). The heap
     *   holds this object strongly: an afterFunc must run even if nobody keeps the Timer.
     *
     * Lineage
     *   golang/go src/time/sleep.go AfterFunc, goFunc; src/runtime/time.go stop/reset.
     *
     * Invariants
     *   I1 armed is true from arm until fire() with the current seq claims it or stop/reset
     *      ends the arming; f is started only by the fire() that turned it false.
     *
     * Ownership & locking
     *   this object's monitor guards armed; held for a few instructions, never while starting
     *   the goroutine and never across a heap operation (fire() runs on a scheduler M, which
     *   must not wait for a goroutine that is itself waiting).
     *   rec's monitor (Go's t.mu) serialises the user's stop() and reset() calls, so a stop()
     *   racing with a reset() is atomic; only user goroutines take it, never the runner.
     *
     * Memory ordering
     *   fire() compares its seq with the volatile rec.seq under the monitor; stop/reset bump it
     *   (rec.stop) before they take the monitor.
     */

    private final Runnable f;
    private final Sched sched;
    private final dev.goloom.internal.timer.Timer rec;
    /** guarded by this (I1). */
    private boolean armed;

    FuncTimer(Duration d, Runnable f) {
        if (f == null) {
            throw new NullPointerException("time: AfterFunc with a null function");
        }
        this.f = f;
        this.sched = G.currentSched();
        this.rec = new dev.goloom.internal.timer.Timer(this, null, dev.goloom.internal.timer.Timer.WAKES);
        armed = true;                               // published to the runner by the heap lock
        rec.reset(Timers.when(Timers.nanoTime(), Math.max(0, Timers.nanos(d))), 0);
    }

    @Override
    public void fire(dev.goloom.internal.timer.Timer t, Object arg, long seq, long now) {
        synchronized (this) {
            if (seq != t.seq() || !armed) {
                return;
            }
            armed = false;
        }
        Timers.goFunc(sched, f);
    }

    @Override
    public RecvChan<Instant> c() {
        return null;                    // Go: an AfterFunc timer's C is nil
    }

    @Override
    public boolean stop() {
        synchronized (rec) {
            rec.stop();                             // seq bumped: a firing in flight is stale
            synchronized (this) {
                boolean pending = armed;
                armed = false;
                return pending;
            }
        }
    }

    @Override
    public boolean reset(Duration d) {
        synchronized (rec) {
            rec.stop();
            boolean pending;
            synchronized (this) {
                pending = armed;
                armed = true;
            }
            rec.reset(Timers.when(Timers.nanoTime(), Math.max(0, Timers.nanos(d))), 0);
            return pending;
        }
    }

    @Override
    public String toString() {
        return "time.AfterFunc[" + rec + "]";
    }
}
