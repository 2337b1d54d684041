package dev.goloom.context;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.timer.Timers;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Go's {@code cancelCtx}: what {@link Context#withCancel} returns. */
class CancelCtx implements CancelContext {
    /* Implementation notes
     *
     * Overview
     *   A node of the cancellation tree. It registers itself in the children set of its nearest
     *   cancellable ancestor (propagateCancel), found by walking up through the wrappers this
     *   package knows (withValue); withoutCancel and background end the walk (nothing to
     *   propagate); a foreign Context implementation gets a watcher goroutine that selects on
     *   the parent's done() and this node's done(), as Go does for an unknown parent.
     *   cancel() marks the node, closes done, detaches the node from its registered ancestor,
     *   then cancels the whole subtree breadth-first with an explicit queue: each node hands
     *   back its children under its own lock and forgets them. The walk is iterative, so a chain
     *   a million deep cannot overflow the stack. done is made lazily (Go: atomic.Value), so a
     *   context whose done() is never asked for costs no channel; cancelling one that has none
     *   installs the shared closed channel.
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (cancelCtx, propagateCancel, parentCancelCtx,
     *   removeChild, cancel, afterFuncCtx). Deviations: iterative rather than recursive subtree
     *   cancellation; a parent's lock is not held while its children are cancelled (the set is
     *   taken out under it, so the order parent-then-child is kept without nesting locks).
     *
     * Invariants
     *   I1 err goes null -> non-null once (under the lock); cause is set before it; after that
     *      children == null and done is closed (or CLOSED).
     *   I2 a node is in at most one children set: its registered ancestor's (parentCancel), and
     *      only while neither is cancelled; cancel(removeFromParent) takes it out, so a parent's
     *      set holds only live children (no growth as children come and go).
     *   I3 every descendant is cancelled exactly once per cancellation of an ancestor (I1's
     *      once-only err guards it; a child registered after its parent was cancelled is
     *      cancelled by propagateCancel itself).
     *
     * Ownership & locking
     *   this object's monitor guards done creation, children and the err/cause transition. Held
     *   only for a few field updates, never while blocking or while another context's lock is
     *   taken, except registration (parent's lock only) and detaching (parent's lock only). A
     *   channel close (done) happens under the lock: it readies waiters, never blocks.
     *
     * Memory ordering
     *   err, cause and done are volatile, written under the lock: err() and done() read them
     *   without it. parentCancel is volatile because it is written under the parent's lock and
     *   read under this node's: a cancel on another thread must see the registration to detach. cause is written before err, so a reader that sees err sees cause (pair:
     *   cancelSelf's writes / cause()'s reads). A receive that observes done closed
     *   happens-after the close, which is after err was set.
     *
     * Rejected alternatives
     *   A recursive cancel as in Go: Java's stacks do not grow. A lock-free children list:
     *   cancellation is rare and short; a monitor is simpler to get right.
     */

    static final Chan<Void> CLOSED = Chan.make();
    static {
        CLOSED.close();
    }

    final Context parent;
    /** guarded by this; null once cancelled (I1). */
    private Set<CancelCtx> children;
    /**
     * the ancestor this node is registered with, or null (I2). Volatile: written under the
     * parent's lock (propagateCancel), read and cleared under this node's (detach).
     */
    private volatile CancelCtx parentCancel;
    private volatile Chan<Void> done;
    private volatile RuntimeException err;
    private volatile RuntimeException cause;

    CancelCtx(Context parent) {
        this.parent = parent;
    }

    static Context checkParent(Context parent) {
        if (parent == null) {
            throw new NullPointerException("cannot create context from nil parent");
        }
        return parent;
    }

    // ------------------------------------------------------------------------- propagateCancel

    /** Go's propagateCancel: arranges for this node to be cancelled when its parent is. */
    final void propagateCancel() {
        Context p = parent;
        while (true) {
            if (p instanceof ValueCtx v) {
                p = v.parent;
            } else if (p instanceof CancelCtx pc) {
                RuntimeException e;
                RuntimeException c;
                synchronized (pc) {
                    e = pc.err;
                    c = pc.cause;
                    if (e == null) {
                        if (pc.children == null) {
                            pc.children = new HashSet<>();
                        }
                        pc.children.add(this);            // keeps I2
                        parentCancel = pc;
                        return;
                    }
                }
                cancel(false, e, c);                     // keeps I3: parent already done
                return;
            } else if (p instanceof EmptyCtx || p instanceof WithoutCancelCtx) {
                return;                                  // never cancelled
            } else {
                watchForeign(p);
                return;
            }
        }
    }

    /** A parent this package does not know: a goroutine waits for either to be done. */
    private void watchForeign(Context p) {
        RecvChan<Void> pd = p.done();
        if (pd == null) {
            return;                                      // Go: Done() == nil never cancels
        }
        RuntimeException e = p.err();
        if (e != null) {
            cancel(false, e, p.cause());
            return;
        }
        RecvChan<Void> mine = done();
        Runnable watch = () -> Select.select(
                Select.recv(pd, v -> cancel(false, p.err(), p.cause())),
                Select.recv(mine, v -> { }));
        // the caller's runtime, or the global one if it has none or is closing (Go's goFunc)
        Timers.goFunc(G.currentSched(), "context.watch", watch);
    }

    // ------------------------------------------------------------------------- cancel

    /** Go's cancelCtx.cancel: cancels this node and its subtree; a null cause means err. */
    final void cancel(boolean removeFromParent, RuntimeException e, RuntimeException c) {
        if (c == null) {
            c = e;
        }
        CancelCtx[] kids = cancelSelf(e, c);
        if (kids == null) {
            return;                                      // already cancelled (I1)
        }
        if (removeFromParent) {
            detach();
        }
        if (kids.length == 0) {
            return;
        }
        ArrayDeque<CancelCtx> q = new ArrayDeque<>();
        for (CancelCtx k : kids) {
            q.add(k);
        }
        CancelCtx n;
        while ((n = q.poll()) != null) {                 // breadth-first, iterative (I3)
            CancelCtx[] more = n.cancelSelf(e, c);
            if (more != null) {
                for (CancelCtx k : more) {
                    q.add(k);
                }
            }
        }
    }

    private static final CancelCtx[] NONE = new CancelCtx[0];

    /** Cancels this node only; returns its children (to cancel next), or null if already done. */
    final CancelCtx[] cancelSelf(RuntimeException e, RuntimeException c) {
        CancelCtx[] kids;
        synchronized (this) {
            if (err != null) {
                return null;
            }
            cause = c;                                   // before err: see Memory ordering
            err = e;                                     // keeps I1
            Chan<Void> d = done;
            if (d == null) {
                done = CLOSED;
            } else {
                d.close();
            }
            kids = children == null || children.isEmpty() ? NONE : children.toArray(NONE);
            children = null;
        }
        afterCancel();
        return kids;
    }

    /** Hook run once, outside the lock, after this node was cancelled (timer stop, afterFunc). */
    void afterCancel() {
    }

    /** Go's removeChild: leaves the registered ancestor's children set (keeps I2). */
    private void detach() {
        CancelCtx p;
        synchronized (this) {
            p = parentCancel;
            parentCancel = null;
        }
        if (p != null) {
            synchronized (p) {
                if (p.children != null) {
                    p.children.remove(this);
                }
            }
        }
    }

    // ------------------------------------------------------------------------- Context

    @Override
    public RecvChan<Void> done() {
        Chan<Void> d = done;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            d = done;
            if (d == null) {
                d = Chan.make();                         // not cancelled yet: cancelSelf closes it
                done = d;
            }
            return d;
        }
    }

    @Override
    public RuntimeException err() {
        return err;
    }

    @Override
    public RuntimeException cause() {
        return err == null ? null : cause;
    }

    @Override
    public Optional<Instant> deadline() {
        return parent.deadline();
    }

    @Override
    public <T> T value(Key<T> key) {
        return parent.value(key);
    }

    @Override
    public void check() {
        RuntimeException e = err;
        if (e != null) {
            throw e;
        }
    }

    // ------------------------------------------------------------------------- CancelContext

    @Override
    public void cancel() {
        cancel(true, ContextCanceledException.CANCELED, null);
    }

    @Override
    public void cancel(RuntimeException c) {
        cancel(true, ContextCanceledException.CANCELED, c);
    }

    @Override
    public void close() {
        cancel();
    }

    @Override
    public String toString() {
        return parent + ".WithCancel";
    }

    // ------------------------------------------------------------------------- white box

    /** Checks I1 and I2 for this node and its registered children; throws IllegalStateException. */
    final void checkInvariants() {
        CancelCtx[] kids;
        synchronized (this) {
            if (err != null) {
                if (children != null || cause == null) {
                    throw new IllegalStateException("I1: cancelled with children or no cause: " + this);
                }
                if (done != null && done != CLOSED && done.tryRecv() == null) {
                    throw new IllegalStateException("I1: cancelled but done is open: " + this);
                }
            }
            kids = children == null ? NONE : children.toArray(NONE);
        }
        for (CancelCtx k : kids) {
            if (k.parentCancel != this) {
                throw new IllegalStateException("I2: child " + k + " registered with " + k.parentCancel);
            }
        }
    }

    /** The number of registered children (0 once cancelled). */
    final synchronized int childCount() {
        return children == null ? 0 : children.size();
    }

    /** The ancestor this node is registered with. */
    final synchronized CancelCtx registeredParent() {
        return parentCancel;
    }
}
