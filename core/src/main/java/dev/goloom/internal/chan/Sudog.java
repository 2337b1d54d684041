package dev.goloom.internal.chan;

import dev.goloom.internal.sched.G;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A goroutine (or plain thread) waiting on a channel: Go's {@code sudog}. One sudog per wait
 * list the thread is on: a plain send or receive uses one; a select uses one per case.
 */
final class Sudog {
    /* Implementation notes
     *
     * Overview
     *   A blocked send or receive puts a sudog on the channel's sendq or recvq and parks until a
     *   waker takes it off. The waker does everything to the sudog while it holds the channel
     *   lock: unlinks it, stores or takes the value (elem), sets success, and finally publishes
     *   the wake-up (done for a plain operation, SelectState.winner for a select). After the lock
     *   is released the waker touches only the Thread it read into a local, to unpark it.
     *
     * Lineage
     *   golang/go src/runtime/runtime2.go (type sudog), proc.go (acquireSudog/releaseSudog).
     *   Deviation: Go caches sudogs per P; goloom caches one per goroutine (in its G) for plain
     *   operations (a goroutine is in at most one plain channel operation at a time) and
     *   allocates select's. A plain thread caches its one in a ThreadLocal.
     *   Rejected: a ThreadLocal for goroutines too (the first version). A goroutine that blocks
     *   once (spawn-and-park, a context watcher, a skynet parent) then created a ThreadLocalMap,
     *   its 16-slot table and an entry: 136 bytes and a hash insert per goroutine, on top of the
     *   48-byte sudog (jcmd GC.class_histogram of 200,000 goroutines parked on one channel: 200,010
     *   ThreadLocalMaps, the sudog cache their only entry). Per-carrier free lists (Go's per-P
     *   cache) would need the carrier's identity on every acquire/release.
     *
     * Invariants
     *   I1 a sudog is on at most one wait queue; next/prev are null when it is on none.
     *   I2 every field below except 'done' and 'waitlink' is written only under the lock of the
     *      channel 'c' while the sudog is (or was just) on that channel's queue, or by its owner
     *      thread before it is enqueued / after it was dequeued.
     *   I3 once 'done' is true (or sel.winner is set) no other thread will write the sudog
     *      again, so the owner may reuse it (the plain-operation cache depends on this).
     *
     * Memory ordering
     *   done: setRelease by the waker under the lock; getAcquire by the owner in its park loop,
     *   so the owner sees elem/success. (The lock's own release/acquire would also do it when the
     *   owner takes the lock on the interrupt path.)
     */

    /** the waiting thread; read by wakers under the lock, copied to a local before unlock. */
    Thread thread;
    /** the value: the one to send (sendq) or the one received (recvq). Guarded by c's lock. */
    Object elem;
    /** the channel whose queue holds this sudog. */
    HChan c;
    /** wait-queue links (I1), guarded by c's lock. */
    Sudog next, prev;
    /** the select this sudog belongs to, or null for a plain send/receive. */
    SelectState sel;
    /** select only: this sudog is on a sendq (else a recvq). */
    boolean isSend;
    /** the select case index (select only). */
    int caseIndex;
    /** true: woken by a value transfer; false: woken by close. Guarded by c's lock. */
    boolean success;
    /** plain operations: set by the waker when the operation has completed (see accessors). */
    private boolean done;
    /** select: the next sudog of the same select, in lock order (owner only). */
    Sudog waitlink;
    /** the per-thread cached sudog is in use (owner only). */
    boolean inUse;

    /** Plain threads' cache of one sudog for blocking send/receive (goroutines keep theirs in G). */
    private static final ThreadLocal<Sudog> CACHE = new ThreadLocal<>();

    /** Go's acquireSudog for a plain operation: the caller's cached sudog, reset. */
    static Sudog acquire(Thread t, HChan c, Object elem) {
        G g = G.current();
        Sudog s = g != null ? (Sudog) g.sudogCache() : CACHE.get();
        if (s == null) {
            s = new Sudog();
            if (g != null) {
                g.sudogCache(s);
            } else {
                CACHE.set(s);
            }
        } else if (s.inUse) {
            s = new Sudog();           // never happens today: no user code runs while in use
        }
        s.inUse = true;
        s.thread = t;
        s.c = c;
        s.elem = elem;
        s.success = false;
        s.done = false;                // plain: published to wakers by the enqueue's lock release
        return s;
    }

    /** The waker's last write to a plain operation's sudog (lock held; keeps I3). */
    void setDoneRelease() {
        DONE.setRelease(this, true);   // release: pairs with doneAcquire() in the park loop
    }

    /** The owner's check in its park loop. */
    boolean doneAcquire() {
        return (boolean) DONE.getAcquire(this); // acquire: pairs with setDoneRelease()
    }

    private static final VarHandle DONE;
    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(Sudog.class, "done", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's releaseSudog: clears references so the cache pins nothing. */
    static void release(Sudog s) {
        s.elem = null;
        s.c = null;
        s.thread = null;
        s.inUse = false;
    }
}
