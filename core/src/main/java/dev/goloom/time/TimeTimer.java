package dev.goloom.time;

import dev.goloom.internal.timer.Timers;
import java.time.Duration;

/** {@link Time#newTimer} and {@link Time#after}: see {@link TimerChan}'s notes. */
final class TimeTimer extends TimerChan implements Timer {
    /* Implementation notes
     *
     * Overview
     *   The one-shot face of TimerChan (see its notes for the protocol, invariants and locking):
     *   stop() = disarm(); reset(d) = disarm() then arm(d). A firing of the old arming is stale
     *   once disarm() has taken the timer off its heap, so no old value survives either call.
     *
     * Lineage
     *   golang/go src/time/sleep.go @go1.23 (Timer.Stop, Timer.Reset).
     */

    TimeTimer(Duration d) {
        super(Timers.nanos(d), 0);
    }

    @Override
    public boolean stop() {
        return disarm();
    }

    @Override
    public boolean reset(Duration d) {
        return rearm(Timers.nanos(d), 0);
    }

    @Override
    public String toString() {
        return "time.Timer[" + rec + "]";
    }
}
