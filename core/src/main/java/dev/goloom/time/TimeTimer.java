package dev.goloom.time;

import dev.goloom.internal.timer.Timers;
import java.time.Duration;

/** {@link Time#newTimer} and {@link Time#after}: see {@link TimerChan}'s notes. */
final class TimeTimer extends TimerChan implements Timer {
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
