package dev.goloom.time;

import dev.goloom.internal.timer.Timers;
import java.time.Duration;

/** {@link Time#newTimer} and {@link Time#after}: see {@link TimerChan}'s notes. */
final class TimeTimer extends TimerChan implements Timer {
    /* Implementation notes
     *
     * Overview
     *   The one-shot face of TimerChan (see its notes for the protocol, invariants and locking):
     *   stop() = disarm(); reset(d) = disarm() then arm(d), both under the per-timer monitor, so a
     *   reset is atomic with respect to a firing.
     *
     * Lineage
     *   golang/go src/time/sleep.go @go1.23 (Timer.Stop, Timer.Reset).
     */

    TimeTimer(Duration d) {
        super(Timers.nanos(d), 0);
    }

    @Override
    public boolean stop() {
        synchronized (st) {
            return disarm();
        }
    }

    @Override
    public boolean reset(Duration d) {
        long n = Timers.nanos(d);
        synchronized (st) {
            boolean pending = disarm();
            arm(n, 0);
            return pending;
        }
    }

    @Override
    public String toString() {
        return "time.Timer[" + rec + "]";
    }
}
