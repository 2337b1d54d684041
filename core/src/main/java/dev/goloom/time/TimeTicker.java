package dev.goloom.time;

import dev.goloom.internal.timer.Timers;
import java.time.Duration;

/** {@link Time#newTicker} and {@link Time#tick}: see {@link TimerChan}'s notes. */
final class TimeTicker extends TimerChan implements Ticker {
    TimeTicker(long nanos) {
        super(nanos, nanos);
    }

    static TimeTicker of(Duration d) {
        long n = Timers.nanos(d);
        if (n <= 0) {
            throw new IllegalArgumentException("non-positive interval for NewTicker");
        }
        return new TimeTicker(n);
    }

    @Override
    public void stop() {
        synchronized (st) {
            disarm();
        }
    }

    @Override
    public void reset(Duration d) {
        long n = Timers.nanos(d);
        if (n <= 0) {
            throw new IllegalArgumentException("non-positive interval for Ticker.Reset");
        }
        synchronized (st) {
            disarm();
            arm(n, n);
        }
    }

    @Override
    public String toString() {
        return "time.Ticker[" + rec + "]";
    }
}
