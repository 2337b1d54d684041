package dev.goloom.context;

import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import dev.goloom.internal.timer.Timers;
import java.util.concurrent.atomic.AtomicBoolean;

/** Go's {@code afterFuncCtx}: a child node whose cancellation starts f in its own goroutine. */
final class AfterFuncCtx extends CancelCtx implements Context.Stop {
    /* Implementation notes
     *
     * Overview
     *   A CancelCtx registered under ctx like any child, so the parent's cancellation reaches it
     *   through the same tree walk. `once` decides between running f and stop(): whichever
     *   flips it first wins. stop() also cancels the node with removal, so a stopped afterFunc
     *   leaves the parent's children list (no growth).
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (AfterFunc, afterFuncCtx).
     *
     * Invariants
     *   I1 f is started at most once, and only if stop() has not returned true.
     */

    private final Runnable f;
    private final Sched sched;
    private final AtomicBoolean once = new AtomicBoolean();

    AfterFuncCtx(Context parent, Runnable f) {
        super(parent);
        this.f = f;
        this.sched = G.currentSched();
    }

    @Override
    void afterCancel() {
        if (once.compareAndSet(false, true)) {           // keeps I1
            Timers.goFunc(sched, f);
        }
    }

    @Override
    public boolean stop() {
        if (!once.compareAndSet(false, true)) {
            return false;
        }
        cancel(true, ContextCanceledException.CANCELED, null);
        return true;
    }

    @Override
    public String toString() {
        return parent + ".AfterFunc";
    }
}
