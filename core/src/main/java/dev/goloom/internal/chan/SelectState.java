package dev.goloom.internal.chan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The shared state of one blocked select: Go's {@code g.selectDone} and {@code g.param}.
 * All the select's sudogs point here; the first waker to win {@link #tryWin()} completes the
 * select, every other waker skips the sudog.
 */
final class SelectState {
    /* Implementation notes
     *
     * Overview
     *   Allocated per blocked select (pass 2 of selectgo), shared by its sudogs; garbage once
     *   selectgo returns.
     *
     * Lineage
     *   golang/go src/runtime/runtime2.go (g.selectDone, g.param), chan.go (the CAS in
     *   waitq.dequeue), select.go (selectgo's wake-up).
     *
     * Invariants
     *   I1 selectDone goes 0 -> 1 once (tryWin), under the lock of the channel whose queue held
     *      the winning sudog, or under all the select's locks when the owner cancels itself
     *      (interrupt).
     *   I2 winner is written once, after the winning sudog's elem/success, under the same lock
     *      as the winning tryWin.
     *
     * Memory ordering
     *   selectDone: CAS (volatile) - concurrent wakers on different channels race on it; the CAS
     *   is their only arbitration, as in Go.
     *   winner: setRelease by the waker; getAcquire by the owner's park loop, so the owner sees
     *   the sudog's elem/success.
     */
    private volatile int selectDone;
    private volatile Sudog winner;

    private static final VarHandle DONE;
    private static final VarHandle WINNER;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DONE = l.findVarHandle(SelectState.class, "selectDone", int.class);
            WINNER = l.findVarHandle(SelectState.class, "winner", Sudog.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Claims this select for a waker (or for its own cancellation); keeps I1. */
    boolean tryWin() {
        return selectDone == 0 && DONE.compareAndSet(this, 0, 1);
    }

    boolean isDone() {
        return selectDone != 0;
    }

    /** Publishes the winning sudog; the waker holds its channel's lock (I2). */
    void setWinnerRelease(Sudog sg) {
        WINNER.setRelease(this, sg);  // release: pairs with winnerAcquire() in the park loop
    }

    Sudog winnerAcquire() {
        return (Sudog) WINNER.getAcquire(this); // acquire: pairs with setWinnerRelease()
    }
}
