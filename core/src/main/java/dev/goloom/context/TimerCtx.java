package dev.goloom.context;

import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import dev.goloom.internal.timer.Timer;
import dev.goloom.internal.timer.TimerFunc;
import dev.goloom.internal.timer.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Go's {@code timerCtx}: what {@link Context#withDeadline} and {@link Context#withTimeout} return. */
final class TimerCtx extends CancelCtx implements TimerFunc {
    /* Implementation notes
     *
     * Overview
     *   A CancelCtx with a deadline and a timer of the engine (kind WAKES: a deadline always
     *   counts as pending work for deadlock detection) that cancels it with
     *   DeadlineExceededException. Cancelling it any other way stops the timer (eager deletion
     *   in the heap: a context cancelled early leaves nothing behind). As in Go (time.AfterFunc),
     *   the timer's callback starts a goroutine that cancels: the runner (a scheduler M) never
     *   takes a context's monitor, which goroutines also take (HACKING.md: no monitor shared by
     *   Ms and goroutines), and a deadline that cancels a large subtree does not hold up the
     *   other timers of its P.
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (timerCtx, WithDeadlineCause).
     *
     * Invariants
     *   I1 deadline is never later than the parent's (withDeadline returns a plain CancelCtx when
     *      the parent's deadline is sooner).
     *   I2 after cancellation the timer is not pending (afterCancel stops it; a timer armed after
     *      a concurrent cancellation is stopped by the re-check in arm()).
     */

    private final Instant deadline;
    private final RuntimeException deadlineCause;
    private final Timer timer = new Timer(this, null, Timer.WAKES);
    /** the runtime the cancelling goroutine starts in (the creator's; null: the global one). */
    private final Sched sched;

    TimerCtx(Context parent, Instant deadline, RuntimeException deadlineCause) {
        super(parent);
        this.sched = G.currentSched();
        this.deadline = deadline;
        this.deadlineCause = deadlineCause;
    }

    /** Starts the timer for {@code nanos} from now (after propagateCancel). */
    void arm(long nanos) {
        if (nanos <= 0) {
            cancel(true, DeadlineExceededException.DEADLINE_EXCEEDED, deadlineCause);
            return;
        }
        timer.start(Timers.when(Timers.nanoTime(), nanos), 0);
        if (err() != null) {
            timer.stop();                                // keeps I2: cancelled meanwhile
        }
    }

    @Override
    public void fire(Timer t, Object arg, long seq, long now) {
        Timers.goFunc(sched, this::deadlineExceeded);
    }

    private void deadlineExceeded() {
        cancel(true, DeadlineExceededException.DEADLINE_EXCEEDED, deadlineCause);
    }

    @Override
    void afterCancel() {
        timer.stop();                                    // keeps I2
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.of(deadline);
    }

    /** True while the deadline timer is pending (white box). */
    boolean timerPending() {
        return timer.isPending();
    }

    @Override
    public String toString() {
        Duration left = Duration.between(Instant.now(), deadline);
        return parent + ".WithDeadline(" + deadline + " [" + left + "])";
    }
}
