package dev.goloom.internal.syncx;

import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Debugging access to the sync package's locks, for dumps and the deadlock wait-for graph: who
 * holds a {@code Mutex}, or the write side of an {@code RWMutex}. Not API: the public types keep
 * no such method.
 */
public final class SyncDebug {
    /* Implementation notes
     *
     * Overview
     *   Mutex keeps the thread that holds it in a plain field `owner` (written after each lock,
     *   cleared before each unlock; Thread.currentThread() costs nothing on the fast path, where
     *   G.current() would cost a lookup). This class reads it through VarHandles obtained with a
     *   private lookup into dev.goloom.sync (same module: always permitted), and maps the
     *   thread to its goroutine on request.
     *
     * Memory ordering
     *   Opaque reads of a plain field: a racy snapshot, benign because it is for debugging only
     *   (a dump may name the previous owner for a moment).
     */

    private static final VarHandle MUTEX_OWNER;
    private static final VarHandle RW_W;
    private static final Class<?> MUTEX;
    private static final Class<?> RWMUTEX;

    static {
        try {
            MUTEX = Class.forName("dev.goloom.sync.Mutex");
            RWMUTEX = Class.forName("dev.goloom.sync.RWMutex");
            MethodHandles.Lookup lm = MethodHandles.privateLookupIn(MUTEX, MethodHandles.lookup());
            MUTEX_OWNER = lm.findVarHandle(MUTEX, "owner", Thread.class);
            MethodHandles.Lookup lr = MethodHandles.privateLookupIn(RWMUTEX, MethodHandles.lookup());
            RW_W = lr.findVarHandle(RWMUTEX, "w", MUTEX);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SyncDebug() {
    }

    /**
     * The thread holding {@code lock} (a Mutex, or the writer of an RWMutex), or null if it is
     * not held, is held by nobody known (a hand-off in progress), or is of another type.
     */
    public static Thread ownerThread(Object lock) {
        if (MUTEX.isInstance(lock)) {
            return (Thread) MUTEX_OWNER.getOpaque(lock);
        }
        if (RWMUTEX.isInstance(lock)) {
            return (Thread) MUTEX_OWNER.getOpaque(RW_W.get(lock));
        }
        return null;
    }

    /**
     * The goroutine of {@code sched} holding {@code lock}, or null if no goroutine of that
     * runtime holds it (see {@link #ownerThread(Object)}).
     */
    public static G owner(Object lock, Sched sched) {
        Thread t = ownerThread(lock);
        if (t == null) {
            return null;
        }
        for (G g : sched.allGs()) {
            if (g.thread() == t) {
                return g;
            }
        }
        return null;
    }
}
