package dev.goloom.internal.sched;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;

/**
 * All of goloom's reflective access to the JDK, in one place (DESIGN.md section 9).
 *
 * <p>JDK 25 has no public way to give virtual threads a scheduler of one's own, but
 * {@code java.lang.ThreadBuilders.newVirtualThread(Executor, String, int, Runnable)} builds one
 * that hands every "run this continuation" to the given Executor. Reaching it needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =dev.goloom} on the module
 * path). Without it {@link #AVAILABLE} is false and goloom runs goroutines on the JDK's default
 * scheduler (fallback mode).
 */
final class VThreads {
    /* Implementation notes
     * Memory ordering: every handle is resolved once in the static initializer (final fields,
     * safely published by class initialization). The scheduler field of a VirtualThread is final
     * in the JDK, so reading it through a plain VarHandle get is safe from any thread.
     */
    static final boolean AVAILABLE;
    static final String UNAVAILABLE_REASON;
    private static final MethodHandle NEW_THREAD;   // (Executor, String, int, Runnable) Thread
    private static final VarHandle SCHEDULER;       // VirtualThread.scheduler: Executor
    private static final VarHandle CARRIER;         // VirtualThread.carrierThread: Thread (volatile)

    static {
        MethodHandle nt = null;
        VarHandle sf = null;
        VarHandle cf = null;
        String why = null;
        try {
            Class<?> builders = Class.forName("java.lang.ThreadBuilders");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(builders, MethodHandles.lookup());
            nt = l.findStatic(builders, "newVirtualThread", MethodType.methodType(
                    Thread.class, Executor.class, String.class, int.class, Runnable.class));
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            MethodHandles.Lookup lv = MethodHandles.privateLookupIn(vt, MethodHandles.lookup());
            sf = lv.findVarHandle(vt, "scheduler", Executor.class);
            cf = lv.findVarHandle(vt, "carrierThread", Thread.class);
        } catch (Throwable e) {
            nt = null;
            sf = null;
            cf = null;
            why = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        NEW_THREAD = nt;
        SCHEDULER = sf;
        CARRIER = cf;
        AVAILABLE = nt != null && !Boolean.getBoolean("goloom.fallback");
        UNAVAILABLE_REASON = nt == null ? why : "-Dgoloom.fallback=true";
    }

    private VThreads() {
    }

    /** A new, unstarted virtual thread whose continuation runs on {@code g}'s scheduler. */
    static Thread newThread(G g, String name, Runnable body) {
        try {
            return (Thread) NEW_THREAD.invokeExact((Executor) g, name, 0, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The platform thread a virtual thread is mounted on (null if unmounted or unknown). Called
     * by a goroutine about itself, it names the M it runs on right now — the truth, where
     * bookkeeping of our own could be stale.
     */
    static Thread carrierOf(Thread virtualThread) {
        return CARRIER == null ? null : (Thread) CARRIER.getVolatile(virtualThread);
    }

    /** The Executor a virtual thread was built with (a g under goloom), or null. */
    static Object schedulerOf(Thread virtualThread) {
        return SCHEDULER == null ? null : SCHEDULER.get(virtualThread);
    }
}
