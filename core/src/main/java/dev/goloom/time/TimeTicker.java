package dev.goloom.time;

import dev.goloom.internal.timer.Timers;
import java.time.Duration;

/** {@link Time#newTicker} and {@link Time#tick}: see {@link TimerChan}'s notes. */
final class TimeTicker extends TimerChan implements Ticker {
    /* Implementation notes
     *
     * Overview
     *   The periodic face of TimerChan (see its notes): a PROBE timer with period = interval,
     *   re-armed in place by the heap after each firing (missed periods skipped); a firing that
     *   finds the one-slot channel full drops its tick.
     *
     * Lineage
     *   golang/go src/time/tick.go @go1.23 (NewTicker, Ticker.Stop, Ticker.Reset).
     */

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
        disarm();
    }

    @Override
    public void reset(Duration d) {
        long n = Timers.nanos(d);
        if (n <= 0) {
            throw new IllegalArgumentException("non-positive interval for Ticker.Reset");
        }
        rearm(n, n);
    }

    @Override
    public String toString() {
        return "time.Ticker[" + rec + "]";
    }
}
