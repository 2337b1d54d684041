package dev.goloom.time;

import dev.goloom.RecvChan;
import java.time.Instant;

/**
 * Delivers the time at every interval: Go's {@code *time.Ticker}. A slow receiver misses ticks
 * rather than queueing them (the channel holds at most one tick, as in Go).
 *
 * <h2>Go 1.23 semantics</h2>
 * After {@link #stop()} or {@link #reset} returns, no tick from before the call is received. A
 * ticker nobody references any more is collected; {@code stop()} is not needed to free it.
 *
 * {@snippet :
 * Ticker tk = Time.newTicker(Duration.ofMillis(100));
 * for (int i = 0; i < 3; i++) {
 *     System.out.println(tk.c().recv());
 * }
 * tk.stop();
 * }
 */
public interface Ticker {
    /** The channel the ticks are delivered on. */
    RecvChan<Instant> c();

    /** Turns the ticker off: Go's {@code t.Stop()}. No further tick is received. */
    void stop();

    /**
     * Stops the ticker and restarts it with period {@code d}, the next tick after {@code d}: Go's
     * {@code t.Reset(d)}.
     *
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    void reset(java.time.Duration d);
}
