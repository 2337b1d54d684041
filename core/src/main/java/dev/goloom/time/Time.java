package dev.goloom.time;

import dev.goloom.RecvChan;
import dev.goloom.internal.timer.Timers;
import java.time.Duration;
import java.time.Instant;

/**
 * Go's {@code time} package: sleeping, one-shot timers and tickers, with Go 1.23 semantics.
 *
 * <h2>Timers and tickers</h2>
 * Timers live in goloom's timer heaps (4-ary heaps, Go's design), not in a thread per timer: a
 * million pending timers cost a million small records. Timer channels are synchronous as in Go
 * 1.23: once {@link Timer#stop()} or {@link Timer#reset} returns, no stale value is received;
 * a timer or ticker nobody references is collected without being stopped; a ticker drops ticks
 * for a slow receiver. A timer whose channel no goroutine waits on does not count as pending
 * work for deadlock detection; a sleep, an afterFunc or a context deadline does.
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
     * A channel that receives the current time once {@code d} has elapsed: Go's
     * {@code time.After}. Equivalent to {@code newTimer(d).c()}; unreferenced, it is collected.
     */
    public static RecvChan<Instant> after(Duration d) {
        return new TimeTimer(d).c();
    }

    /**
     * A channel that receives the time every {@code d}: Go's {@code time.Tick}. Returns
     * {@code null} (Go's nil channel: never ready in a select) if {@code d} is not positive.
     * The ticker cannot be stopped, but is collected once the channel is unreferenced.
     */
    public static RecvChan<Instant> tick(Duration d) {
        long n = Timers.nanos(d);
        return n <= 0 ? null : new TimeTicker(n).c();
    }

    /**
     * A timer that sends the current time on its channel after at least {@code d}: Go's
     * {@code time.NewTimer}. A zero or negative {@code d} fires at once.
     */
    public static Timer newTimer(Duration d) {
        return new TimeTimer(d);
    }

    /**
     * Starts {@code f} in its own goroutine after {@code d}: Go's {@code time.AfterFunc}. The
     * returned timer's {@link Timer#c()} is null; {@link Timer#stop()} returns true if it stopped
     * {@code f} from being started. The goroutine belongs to the runtime of the calling goroutine
     * (the global runtime when called from a plain thread).
     */
    public static Timer afterFunc(Duration d, Runnable f) {
        return new FuncTimer(d, f);
    }

    /**
     * A ticker that sends the time on its channel every {@code d}: Go's {@code time.NewTicker}.
     * A slow receiver misses ticks.
     *
     * @throws IllegalArgumentException "non-positive interval for NewTicker" if {@code d} is not
     *         positive
     */
    public static Ticker newTicker(Duration d) {
        return TimeTicker.of(d);
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
