package dev.goloom.internal.chan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A FIFO of waiting sudogs: Go's {@code waitq} (a channel's sendq or recvq). Doubly linked so
 * that a select can remove its sudog from the middle when another case wins.
 */
final class WaitQ {
    /* Implementation notes
     *
     * Lineage
     *   golang/go src/runtime/chan.go (waitq.enqueue, dequeue, dequeueSudoG).
     *
     * Invariants
     *   I1 first == null iff last == null; first.prev == null; last.next == null; following next
     *      from first reaches last, and prev links mirror next links.
     *   I2 every sudog on the queue has sg.c == the owning channel.
     *
     * Ownership & locking
     *   Every method runs under the owning channel's lock, except firstAcquire(), the lock-free
     *   "would block" probe of the channel's fast paths.
     *
     * Memory ordering
     *   first: written with setRelease under the lock; read with getAcquire by the lock-free
     *   probes (HChan.full/empty), which only need a value the field really had (coherence) and
     *   ordering with the probe's other read (closed). All other fields are plain, lock-guarded.
     */
    private Sudog first;
    private Sudog last;

    private static final VarHandle FIRST;
    static {
        try {
            FIRST = MethodHandles.lookup().findVarHandle(WaitQ.class, "first", Sudog.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Lock-free probe: is anyone (possibly a stale select sudog) waiting? */
    boolean isEmptyAcquire() {
        return FIRST.getAcquire(this) == null; // acquire: pairs with setFirst()
    }

    private void setFirst(Sudog s) {
        FIRST.setRelease(this, s);             // release: pairs with isEmptyAcquire()
    }

    /** Appends sg (lock held; keeps I1). */
    void enqueue(Sudog sg) {
        sg.next = null;
        Sudog x = last;
        if (x == null) {
            sg.prev = null;
            last = sg;
            setFirst(sg);
            return;
        }
        sg.prev = x;
        x.next = sg;
        last = sg;
    }

    /**
     * Removes and returns the first sudog that can be woken, or null. A select sudog whose select
     * another channel has already completed is unlinked and skipped (Go: "if a goroutine was put
     * on this queue because of a select, there is a small window between the goroutine being
     * woken up by a different case and it grabbing the channel locks").
     */
    Sudog dequeue() {
        for (;;) {
            Sudog sg = first;
            if (sg == null) {
                return null;
            }
            Sudog y = sg.next;
            if (y == null) {
                last = null;
            } else {
                y.prev = null;
                sg.next = null;
            }
            setFirst(y);
            if (sg.sel != null && !sg.sel.tryWin()) {
                continue;                      // lost to another case of that select
            }
            return sg;
        }
    }

    /** Unlinks sg if it is still queued here (a no-op otherwise): Go's dequeueSudoG. */
    void remove(Sudog sg) {
        Sudog x = sg.prev;
        Sudog y = sg.next;
        if (x != null) {
            if (y != null) {
                x.next = y;
                y.prev = x;
                sg.next = null;
                sg.prev = null;
                return;
            }
            x.next = null;                     // sg was last
            last = x;
            sg.prev = null;
            return;
        }
        if (y != null) {                       // sg was first
            y.prev = null;
            setFirst(y);
            sg.next = null;
            return;
        }
        if (first == sg) {                     // sg was the only one
            setFirst(null);
            last = null;
        }
    }

    /** True when a sudog that can still be woken is queued (lock held). */
    boolean hasLiveWaiter() {
        for (Sudog s = first; s != null; s = s.next) {
            if (s.sel == null || !s.sel.isDone()) {
                return true;
            }
        }
        return false;
    }

    /** Number of queued sudogs, stale ones included (lock held; tests and invariants). */
    int size() {
        int n = 0;
        for (Sudog s = first; s != null; s = s.next) {
            n++;
        }
        return n;
    }

    /** Checks I1 and I2 (lock held). */
    void checkInvariants(HChan c, String name) {
        if ((first == null) != (last == null)) {
            throw new AssertionError(name + ": first/last disagree");
        }
        Sudog prev = null;
        for (Sudog s = first; s != null; s = s.next) {
            if (s.prev != prev) {
                throw new AssertionError(name + ": broken prev link");
            }
            if (s.c != c) {
                throw new AssertionError(name + ": sudog of another channel");
            }
            prev = s;
        }
        if (prev != last) {
            throw new AssertionError(name + ": last is not the tail");
        }
    }
}
