package dev.goloom.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.goloom.GoRuntime;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.syncx.Sema;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * <b>Semaphore wake-up</b> (internal/syncx/Sema.java, "Memory ordering": the Dekker pair —
 * acquire does {@code nwait++} then reads {@code count}; release does {@code count += n} then
 * reads {@code nwait}; both sequentially consistent, so at least one side sees the other).
 *
 * <p>The semaphore under Mutex, RWMutex, WaitGroup and Cond. A goroutine acquires a semaphore
 * with no token (it blocks); a release races it. The hazard is the Dekker window: if either
 * side's store and load were reordered, the acquirer could miss the token while the releaser
 * misses the waiter, and the goroutine would sleep for ever.
 *
 * {@snippet lang="shell" :
 * ./goloom jcstress -t SemaWakeup
 * }
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE,
        desc = "The acquirer took the token: it found it on its fast path, or the release found it waiting and woke it.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "Lost wake-up: the acquirer missed the token and the releaser missed the waiter (the Dekker pair failed).")
@State
public class SemaWakeup {
    private final Sema sema = new Sema();
    private final CountDownLatch acquired = new CountDownLatch(1);

    @Actor
    public void acquirer() throws InterruptedException {
        GoRuntime.global().go("sema-acquirer", () -> {
            sema.acquire(this, WaitReason.SEMACQUIRE, false);
            acquired.countDown();
        });
        acquired.await();
    }

    @Signal
    public void releaser() {
        sema.release(1, false);
    }
}
