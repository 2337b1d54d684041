package dev.goloom.internal.timer;

/**
 * What a {@link Timer} does when it fires: Go's {@code timer.f(arg, seq, delay)}.
 *
 * <p>{@link #fire} runs on whatever thread runs the heap ({@code goloom-timer}, or later a
 * scheduler M or sysmon), outside the heap's lock. It must be short and must never block:
 * ready a goroutine, make a non-blocking channel send, start a goroutine. It may take a small
 * per-timer lock (the time package's timer lock) that is never held while blocking.
 */
@FunctionalInterface
public interface TimerFunc {
    /**
     * Fires the timer.
     *
     * @param t   the timer that fired
     * @param arg the timer's argument (already dereferenced for a weak argument; never null then)
     * @param seq {@link Timer#seq()} as read under the heap lock when the timer was taken off the
     *            heap: a callback that must not deliver a stale event compares it with the timer's
     *            current {@code seq()} under its own lock (Go 1.23's {@code t.seq} check)
     * @param now the {@link System#nanoTime()} the heap was run at
     */
    void fire(Timer t, Object arg, long seq, long now);

    /**
     * For a {@link Timer#PROBE} timer: could firing now wake a goroutine? (A timer channel counts
     * only while some goroutine is blocked on it, as in Go 1.23.) Called by deadlock detection,
     * outside every heap lock; must not block.
     */
    default boolean canWake(Object arg) {
        return true;
    }
}
