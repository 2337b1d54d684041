package dev.goloom.internal.timer;

import dev.goloom.internal.sched.Deadlock;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The timer engine's entry point: the current {@link TimerHost}, the clock, and the deadlock
 * hook ({@link Deadlock#timersPending}).
 */
public final class Timers {
    /* Implementation notes
     *
     * Overview
     *   `host` decides where new timers go. Hosts ever installed are remembered, because a timer
     *   started under an old host stays in that host's heap (and is run by it) until it fires or
     *   is stopped; deadlock detection asks all of them.
     *
     * Ownership & memory ordering
     *   host: volatile; written by install() (the scheduler at start-up), read on every timer
     *   start. all: copy-on-write, appended to by install().
     */

    private static final CopyOnWriteArrayList<TimerHost> ALL = new CopyOnWriteArrayList<>();

    /**
     * Where new timers go. Set it with {@link #install(TimerHost)} (which also keeps the old
     * host's pending timers visible to deadlock detection).
     */
    public static volatile TimerHost host;

    static {
        TimerHost h = new ThreadTimerHost();
        ALL.add(h);
        host = h;
        BooleanSupplier prev = Deadlock.timersPending;          // chain: keep any earlier hook
        Deadlock.timersPending = () -> pending() || prev.getAsBoolean();
    }

    private Timers() {
    }

    /**
     * Makes {@code h} the host of every timer started from now on. Timers already pending stay
     * with their old host, which keeps running them.
     */
    public static void install(TimerHost h) {
        if (h == null) {
            throw new NullPointerException("timer host");
        }
        ALL.addIfAbsent(h);
        host = h;
    }

    /** True if a pending timer can wake a goroutine (Go's checkdead looks at every P's timers). */
    public static boolean pending() {
        TimerHost cur = host;
        if (anyWaking(cur)) {
            return true;
        }
        for (TimerHost h : ALL) {
            if (h != cur && anyWaking(h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyWaking(TimerHost h) {
        for (TimerHeap heap : h.heaps()) {
            if (heap.hasWakingTimer()) {
                return true;
            }
        }
        return false;
    }

    /** The timer clock: {@link System#nanoTime()}. */
    public static long nanoTime() {
        return System.nanoTime();
    }

    /** {@code now + d}, saturating at {@link Long#MAX_VALUE} (a timer that never fires). */
    public static long when(long now, long d) {
        long w = now + d;
        return d > 0 && w < now ? Long.MAX_VALUE : w;
    }

    /** {@code d} in nanoseconds, saturating at the bounds of a long. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Go's goFunc: starts {@code f} in a new goroutine of {@code sched} (the runtime a timer was
     * created in), or of the global runtime when there is none or it has been closed. What a
     * timer callback that must run user code or take user-visible locks does, so that the
     * runner (a scheduler M) only ever starts a goroutine.
     */
    public static void goFunc(dev.goloom.internal.sched.Sched sched, Runnable f) {
        goFunc(sched, null, f);
    }

    /** {@link #goFunc(dev.goloom.internal.sched.Sched, Runnable)} with a goroutine name. */
    public static void goFunc(dev.goloom.internal.sched.Sched sched, String name, Runnable f) {
        if (sched != null && !sched.isClosed()) {
            try {
                sched.newproc(name, f::run);
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // fall through to the global runtime
            }
        }
        dev.goloom.Go.go(name, f::run);
    }
}
