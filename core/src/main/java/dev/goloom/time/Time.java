package dev.goloom.time;

import dev.goloom.internal.timer.Timers;
import java.time.Duration;

/**
 * Go's {@code time} package: sleeping, one-shot timers and tickers, with Go 1.23 semantics.
 *
 * <h2>Blocking and interruption</h2>
 * {@link #sleep(Duration)} parks the calling goroutine (wait reason {@code sleep}) on a timer of
 * goloom's timer heap; the carrier thread is free meanwhile. It answers
 * {@link Thread#interrupt()} with {@link dev.goloom.GoInterruptedException}, keeping the
 * interrupt flag set. It also works on a plain thread.
 *
 * {@snippet :
 * Time.sleep(Duration.ofMillis(10));   // time.Sleep(10 * time.Millisecond)
 * }
 */
public final class Time {
    private Time() {
    }

    /**
     * Pauses the calling goroutine for at least {@code d}: Go's {@code time.Sleep}. A zero or
     * negative duration returns at once.
     *
     * @throws dev.goloom.GoInterruptedException if the thread is interrupted before or while
     *         sleeping (the interrupt flag stays set)
     */
    public static void sleep(Duration d) {
        Sleeper.sleep(Timers.nanos(d));
    }
}
