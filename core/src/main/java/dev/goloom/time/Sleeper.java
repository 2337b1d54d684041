package dev.goloom.time;

import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.timer.Timer;
import dev.goloom.internal.timer.TimerFunc;
import dev.goloom.internal.timer.Timers;

/** Go's {@code timeSleep}: a timer that readies the sleeping goroutine. */
final class Sleeper implements TimerFunc {
    /* Implementation notes
     *
     * Overview
     *   sleep() arms a WAKES timer whose callback sets `fired` and readies the sleeper, then parks
     *   (wait reason "sleep") until `fired`. Parks may return spuriously: loop. An interrupt stops
     *   the timer and throws.
     *
     * Lineage
     *   golang/go src/runtime/time.go timeSleep, resetForSleep, goroutineReady.
     *
     * Invariants
     *   I1 fired goes false -> true once, in fire(), before Park.ready(thread).
     *
     * Memory ordering
     *   fired is volatile: the write in fire() (timer runner) pairs with the read in sleep()'s
     *   loop after the park returns, so a wake-up that is not spurious is never missed; the unpark
     *   follows the write, and an unpark before the park leaves a permit.
     */

    private final Thread thread;
    private volatile boolean fired;

    private Sleeper(Thread thread) {
        this.thread = thread;
    }

    @Override
    public void fire(Timer t, Object arg, long seq, long now) {
        fired = true;                 // I1; pairs with the read in sleep()
        Park.ready(thread);
    }

    static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        Park.checkInterrupt();
        Sleeper s = new Sleeper(Thread.currentThread());
        Timer t = new Timer(s, null, Timer.WAKES);
        t.start(Timers.when(Timers.nanoTime(), nanos), 0);
        while (!s.fired) {
            Park.park(s, WaitReason.SLEEP);
            if (!s.fired && Thread.currentThread().isInterrupted()) {
                t.stop();
                throw new GoInterruptedException("sleep interrupted");
            }
        }
    }
}
