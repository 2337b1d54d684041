package dev.goloom.internal.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The scheduler's lock (Go's {@code sched.lock}): a test-and-set spin lock that never parks
 * while held and hands nothing to a waiter. Also the lock of every structure that Ms and
 * goroutines share for a few list operations: the AllGs stripes and the per-P timer heaps
 * (internal/timer/TimerHeap).
 */
public final class SchedLock {
    /* Implementation notes
     *
     * Overview
     *   Ms (platform threads) and goroutines (virtual threads: Sched.timerAdded, maxProcs) both
     *   take it. A JDK monitor was wrong here: a goroutine that contends on a monitor unmounts
     *   (JDK 24+), and the monitor's successor hand-off can leave every M that holds a P blocked
     *   on a lock that only the unmounted goroutine — which needs one of those Ps to run — may
     *   take next. A spin lock has no owner-to-be: a waiter that yields (a goroutine re-queues
     *   itself) holds nothing, and the holder never parks inside (critical sections are a few
     *   list operations; no allocation of threads, no unpark, no user code).
     *
     * Lineage
     *   golang/go src/runtime/lock_futex.go (lock2: spin, then osyield, then sleep); here spin,
     *   then Thread.yield (for a goroutine: back of the queue; for an M: the OS's yield).
     *
     * Memory ordering
     *   lock(): CAS false -> true (volatile: acquire); unlock(): setRelease(false). The release
     *   pairs with the next acquirer's CAS, publishing the critical section's writes.
     */
    @SuppressWarnings("unused") private volatile boolean held;
    private static final VarHandle HELD;
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(SchedLock.class, "held", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public void lock() {
        if (HELD.compareAndSet(this, false, true)) {
            return;
        }
        int spins = 0;
        while (true) {
            if (!(boolean) HELD.getOpaque(this) && HELD.compareAndSet(this, false, true)) {
                return;
            }
            if (spins++ < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    public void unlock() {
        HELD.setRelease(this, false);   // release: pairs with the CAS in lock()
    }
}
