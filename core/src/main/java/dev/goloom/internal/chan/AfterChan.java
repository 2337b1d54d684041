package dev.goloom.internal.chan;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import dev.goloom.internal.sched.Deadlock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The channel behind {@code Select.after(d, then)}: Go's {@code time.After(d)}. A minimal
 * stand-in until the time package provides timers; {@link #after(Duration)} is the single
 * place to point at it.
 */
public final class AfterChan {
    /* Implementation notes
     *
     * Overview
     *   One daemon ScheduledThreadPoolExecutor thread. after(d) makes a cap-1 channel and
     *   schedules a non-blocking send of the current Instant into it after d (Go's sendTime).
     *   While such a send is pending, Deadlock.timersPending reports true (chained in front of
     *   whatever supplier was installed before), so a goroutine waiting on a timer is not taken
     *   for a deadlock.
     *
     * Rejected alternatives / known weakness
     *   The scheduled task holds the channel until it fires even if nobody will receive (Go 1.23
     *   collects such timers); a select loop with a long after() case therefore keeps one small
     *   task per iteration until each fires. The time package replaces this.
     */

    private static final ScheduledThreadPoolExecutor TIMERS;
    private static final AtomicInteger PENDING = new AtomicInteger();

    static {
        TIMERS = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "goloom-after-timer");
            t.setDaemon(true);
            return t;
        });
        TIMERS.setRemoveOnCancelPolicy(true);
        BooleanSupplier prev = Deadlock.timersPending;
        Deadlock.timersPending = () -> PENDING.get() > 0 || prev.getAsBoolean();
    }

    private AfterChan() {
    }

    /**
     * A channel that receives the current time once {@code d} has elapsed (at once when d is
     * zero or negative). Go's {@code time.After}.
     */
    public static RecvChan<Instant> after(Duration d) {
        return dev.goloom.time.Time.after(d);           // the time package's timer heap
    }
}
