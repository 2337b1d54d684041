package dev.goloom.internal.timer;

import java.util.List;

/**
 * Where new timers go and who runs the heaps. The default is {@link ThreadTimerHost} (one
 * daemon thread); the GMP scheduler installs itself with {@link Timers#install(TimerHost)}:
 * one {@link TimerHeap} per P, {@link #heapForCurrent()} the calling M's P's heap, the
 * scheduler loop and sysmon calling {@link TimerHeap#runExpired(long)} when
 * {@link TimerHeap#nextWhen()} has passed, and an idle M parking until its P's
 * {@code nextWhen()}.
 */
public interface TimerHost {
    /**
     * The heap a timer started by the calling thread goes to (Go: the current P's). Called on
     * every start/reset of an idle timer, from goroutines, plain threads and timer callbacks:
     * must be cheap and must not block.
     */
    TimerHeap heapForCurrent();

    /**
     * Called (outside the heap's lock) when a timer with {@code when} became the earliest of
     * {@code h}, so whoever sleeps until {@code h}'s old earliest time can wake early: Go's
     * {@code wakeNetPoller(when)}. Must not block.
     */
    void timerAdded(TimerHeap h, long when);

    /** Every heap of this host (for deadlock detection and dumps). */
    List<TimerHeap> heaps();
}
