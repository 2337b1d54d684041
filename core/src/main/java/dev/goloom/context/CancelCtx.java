package dev.goloom.context;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.timer.Timers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Go's {@code cancelCtx}: what {@link Context#withCancel} returns. */
class CancelCtx implements CancelContext {
    /* Implementation notes
     *
     * Overview
     *   A node of the cancellation tree. It registers itself in the children list of its nearest
     *   cancellable ancestor (propagateCancel), found by walking up through the wrappers this
     *   package knows (withValue); withoutCancel and background end the walk (nothing to
     *   propagate); a foreign Context implementation gets a watcher goroutine that selects on
     *   the parent's done() and this node's done(), as Go does for an unknown parent.
     *   cancel() marks the node, closes done, detaches the node from its registered ancestor,
     *   then cancels the whole subtree breadth-first: each node hands back its children under
     *   its own lock and forgets them. The walk is iterative, so a chain a million deep cannot
     *   overflow the stack. done is made lazily (Go: atomic.Value), so a
     *   context whose done() is never asked for costs no channel; cancelling one that has none
     *   installs the shared closed channel.
     *
     * Children list
     *   A parent's children are an intrusive circular doubly linked list through the children's
     *   own sibPrev/sibNext fields (firstChild is any one of them): adding and removing a child
     *   is O(1) under the parent's lock and allocates nothing, and cancelling a subtree touches
     *   only the contexts themselves. Once the parent is cancelled its list is detached
     *   (firstChild = null, under its lock) and belongs to the one walker that cancelled it: the
     *   walker breaks each ring into a chain and appends it to its breadth-first queue, reusing
     *   sibNext as the queue link, and clears both links of a node as it takes it (so a cancelled
     *   context kept by a user does not keep its cancelled siblings reachable). A child's own
     *   detach after that sees its parent cancelled (err != null under the parent's lock) and
     *   leaves the links alone.
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (cancelCtx, propagateCancel, parentCancelCtx,
     *   removeChild, cancel, afterFuncCtx). Deviations: iterative rather than recursive subtree
     *   cancellation; a parent's lock is not held while its children are cancelled (the list is
     *   taken out under it, so the order parent-then-child is kept without nesting locks); the
     *   children are an intrusive list rather than Go's map[canceler]struct{}.
     *
     * Invariants
     *   I1 err goes null -> non-null once (under the lock); cause is set before it; after that
     *      firstChild == null and done is closed (or CLOSED).
     *   I2 a node is in at most one children list: its registered ancestor's (parentCancel), and
     *      only while neither is cancelled; cancel(removeFromParent) takes it out, so a parent's
     *      list holds only live children (no growth as children come and go).
     *   I3 every descendant is cancelled exactly once per cancellation of an ancestor (I1's
     *      once-only err guards it; a child registered after its parent was cancelled is
     *      cancelled by propagateCancel itself).
     *
     * Ownership & locking
     *   this object's monitor guards done creation, firstChild and the err/cause transition, and
     *   its children's sibPrev/sibNext while it is not cancelled; after, the walker that
     *   cancelled it owns them (see Children list). Held
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
     *   cancellation is rare and short; a monitor is simpler to get right. A HashSet of children
     *   (this file's first form, as Go's map): per child it cost a map node and, per parent, a
     *   set, a map and a table, all cold when a tree is cancelled; with the list the 100,000-node
     *   benchmark walk touches one object fewer per node and allocates no queue.
     */

    static final Chan<Void> CLOSED = Chan.make();
    static {
        CLOSED.close();
    }

    final Context parent;
    /** guarded by this: one of the children's ring (see Children list); null once cancelled (I1). */
    private CancelCtx firstChild;
    /** the ring of the registered parent's children: guarded by its lock (see Children list). */
    private CancelCtx sibPrev;
    private CancelCtx sibNext;
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
                        pc.linkChild(this);               // keeps I2
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
        CancelCtx kids = cancelSelf(e, c);
        if (kids == ALREADY) {
            return;                                      // already cancelled (I1)
        }
        if (removeFromParent) {
            detach();
        }
        // Breadth-first over chains linked through sibNext: each ring a cancelled node hands
        // back is broken after its last node and appended (see Children list).
        CancelCtx head = null;
        CancelCtx tail = null;
        while (true) {
            if (kids != null && kids != ALREADY) {
                CancelCtx last = kids.sibPrev;
                last.sibNext = null;
                if (tail == null) {
                    head = kids;
                } else {
                    tail.sibNext = kids;
                }
                tail = last;
            }
            if (head == null) {
                return;
            }
            CancelCtx n = head;
            head = n.sibNext;
            if (head == null) {
                tail = null;
            }
            n.sibNext = null;
            n.sibPrev = null;
            kids = n.cancelSelf(e, c);                   // keeps I3
        }
    }

    /** cancelSelf's answer for a node that was cancelled already. */
    private static final CancelCtx ALREADY = new CancelCtx(null);

    /**
     * Cancels this node only; returns its children's ring (to cancel next; null if none), or
     * {@link #ALREADY} if it was cancelled before.
     */
    final CancelCtx cancelSelf(RuntimeException e, RuntimeException c) {
        CancelCtx kids;
        synchronized (this) {
            if (err != null) {
                return ALREADY;
            }
            cause = c;                                   // before err: see Memory ordering
            err = e;                                     // keeps I1
            Chan<Void> d = done;
            if (d == null) {
                done = CLOSED;
            } else {
                d.close();
            }
            kids = firstChild;
            firstChild = null;
        }
        afterCancel();
        return kids;
    }

    /** This node's lock held, not cancelled: adds {@code k} to the children ring. */
    private void linkChild(CancelCtx k) {
        CancelCtx f = firstChild;
        if (f == null) {
            k.sibPrev = k;
            k.sibNext = k;
            firstChild = k;
        } else {                                         // at the ring's end: before first
            CancelCtx l = f.sibPrev;
            k.sibPrev = l;
            k.sibNext = f;
            l.sibNext = k;
            f.sibPrev = k;
        }
    }

    /** This node's lock held, not cancelled: takes {@code k} out of the children ring. */
    private void unlinkChild(CancelCtx k) {
        CancelCtx nx = k.sibNext;
        if (nx == null) {
            return;                                      // not linked
        }
        if (nx == k) {
            firstChild = null;
        } else {
            CancelCtx pv = k.sibPrev;
            pv.sibNext = nx;
            nx.sibPrev = pv;
            if (firstChild == k) {
                firstChild = nx;
            }
        }
        k.sibNext = null;
        k.sibPrev = null;
    }

    /** Hook run once, outside the lock, after this node was cancelled (timer stop, afterFunc). */
    void afterCancel() {
    }

    /** Go's removeChild: leaves the registered ancestor's children list (keeps I2). */
    private void detach() {
        CancelCtx p;
        synchronized (this) {
            p = parentCancel;
            parentCancel = null;
        }
        if (p != null) {
            synchronized (p) {
                if (p.err == null) {                     // else the list is the walker's
                    p.unlinkChild(this);
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
        List<CancelCtx> kids;
        synchronized (this) {
            if (err != null) {
                if (firstChild != null || cause == null) {
                    throw new IllegalStateException("I1: cancelled with children or no cause: " + this);
                }
                if (done != null && done != CLOSED && done.tryRecv() == null) {
                    throw new IllegalStateException("I1: cancelled but done is open: " + this);
                }
            }
            kids = children();
            for (CancelCtx k : kids) {                   // the links are guarded by this lock
                if (k.sibNext.sibPrev != k) {
                    throw new IllegalStateException("I2: children ring broken at " + k);
                }
            }
        }
        for (CancelCtx k : kids) {
            if (k.parentCancel != this) {
                throw new IllegalStateException("I2: child " + k + " registered with " + k.parentCancel);
            }
        }
    }

    /** The number of registered children (0 once cancelled). */
    final synchronized int childCount() {
        return children().size();
    }

    /** This node's lock held: its children ring, in order. */
    private List<CancelCtx> children() {
        List<CancelCtx> kids = new ArrayList<>();
        CancelCtx f = firstChild;
        if (f != null) {
            CancelCtx k = f;
            do {
                kids.add(k);
                k = k.sibNext;
            } while (k != f);
        }
        return kids;
    }

    /** The ancestor this node is registered with. */
    final synchronized CancelCtx registeredParent() {
        return parentCancel;
    }
}
