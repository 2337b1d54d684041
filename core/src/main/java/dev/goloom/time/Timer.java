package dev.goloom.time;

import dev.goloom.RecvChan;
import java.time.Instant;

/**
 * A single event: Go's {@code *time.Timer}. When it fires, the current time is delivered on
 * {@link #c()} (or, for {@link Time#afterFunc}, the function is started in its own goroutine).
 *
 * <h2>Go 1.23 semantics</h2>
 * The channel behaves as an unbuffered one: once {@link #stop()} or {@link #reset} has returned,
 * no value from before the call is received. An unreferenced timer is collected, even before it
 * fires; stopping it is not needed to free it.
 *
 * <h2>Memory consistency effects</h2>
 * Actions before {@code Time.newTimer} or {@code reset} happen-before the receive of the value
 * it delivers (and, for afterFunc, before the function runs).
 *
 * {@snippet :
 * Timer t = Time.newTimer(Duration.ofSeconds(1));
 * Select.select(
 *     Select.recv(work, w -> handle(w)),
 *     Select.recv(t.c(), now -> System.out.println("timed out at " + now)));
 * t.stop();
 * }
 */
public interface Timer {
    /** The channel the time is delivered on; {@code null} for a timer made by {@code afterFunc}. */
    RecvChan<Instant> c();

    /**
     * Prevents the timer from firing: Go's {@code t.Stop()}. Returns true if the call stopped
     * it, false if it had already fired (and the value was received, or the function started)
     * or been stopped. After it returns, no stale value is received from {@link #c()}.
     */
    boolean stop();

    /**
     * Re-arms the timer to fire after {@code d}: Go's {@code t.Reset(d)}. Returns true if the
     * timer had been active (as {@link #stop()} would have reported). No value from before the
     * call is received after it.
     */
    boolean reset(java.time.Duration d);
}
