package dev.goloom.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.goloom.GoRuntime;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * <b>Park permit</b>: a {@code Park.ready} that comes before the goroutine's {@code Park.park}
 * is not lost.
 *
 * <p>The protocol every goloom primitive relies on (internal/sched/Park.java, "Parks can return
 * spuriously: loop"): the waiter publishes itself, then loops {@code while (!cond) park()}; the
 * waker sets {@code cond}, then calls {@code ready(waiter)}. The hazard is the window between the
 * waiter's check of {@code cond} (false) and its park: if the waker's ready lands there and the
 * permit were dropped (as a plain {@code Object.notify} before {@code wait} would be), the
 * goroutine would sleep forever. LockSupport's permit makes the ready stick, on a virtual thread
 * unmounted by goloom's scheduler exactly as on a platform thread.
 *
 * <p>Here the waiter is a goroutine of the global runtime (a virtual thread, on goloom's
 * scheduler when it is active); the actor waits for it to end, the signal is the waker.
 *
 * {@snippet lang="shell" :
 * ./goloom jcstress -t ParkPermit
 * }
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE,
        desc = "The goroutine saw the condition (before parking, or woken by ready, or by a permit left by a ready that came first) and ended.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "Lost wake-up: the goroutine parked after the ready and nothing woke it. The permit was dropped.")
@State
public class ParkPermit {
    private volatile boolean cond;        // written by the signal, read by the goroutine
    private volatile Thread waiter;       // published by the goroutine before its first check
    private final CountDownLatch ended = new CountDownLatch(1);

    @Actor
    public void actor() throws InterruptedException {
        GoRuntime.global().go("park-permit", () -> {
            waiter = Thread.currentThread();
            while (!cond) {
                Park.park(this, WaitReason.SEMACQUIRE);
            }
            ended.countDown();
        });
        ended.await();
    }

    @Signal
    public void signal() {
        cond = true;
        Thread w;
        while ((w = waiter) == null) {
            Thread.onSpinWait(); // the goroutine has not started yet
        }
        Park.ready(w);
    }
}
