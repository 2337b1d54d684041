package dev.goloom.internal.sched;

/**
 * What the scheduler needs of a P's timers. The time package's per-P heap implements it; the
 * scheduler runs due timers in its loop (Go's {@code checkTimers}), an idle M sleeps until the
 * earliest one, and sysmon hands off a P whose timers are due while its M is stuck.
 */
public interface TimerQueue {
    /** The earliest {@code when} (System.nanoTime based), or Long.MAX_VALUE; callable without locks. */
    long nextWhen();

    /** Runs every timer due at {@code now}; returns how many ran. Callbacks must not block. */
    int runExpired(long now);
}
