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
     *
     * Thread containers (GoThreadContainer): Thread.start() puts a virtual thread in the JDK's
     * root container, which (unless -Djdk.trackAllThreads=false) keeps every started virtual
     * thread in a static set: a parked goroutine could never become unreachable, and the GC-based
     * leak check (LeakCheck) could prove nothing. So goroutines are started with the JDK's
     * package-private Thread.start(ThreadContainer) in goloom's own container, whose threads()
     * lists the runtime's registry, so that JDK thread dumps (jcmd Thread.dump_to_file,
     * HotSpotDiagnosticMXBean.dumpThreads) still show every goroutine, under "goloom:<runtime>".
     * The container class extends jdk.internal.vm.ThreadContainer, a package java.base does not
     * export: we export it to our own module at run time with the JDK's private
     * Module.implAddExports (reachable because java.lang is opened to us, the same flag the
     * scheduler needs) before that class is loaded; it is loaded only by name, so nothing links
     * against it when the export is not possible. Any failure leaves CONTAINER_UNAVAILABLE set
     * and goroutines start with Thread.start() as before (only the leak check is lost).
     * Rejected: -Djdk.trackAllThreads=false (a JVM flag every user must add, and it makes JDK
     * thread dumps miss every virtual thread); SharedThreadContainer (holds its threads strongly).
     */
    static final boolean AVAILABLE;
    static final String UNAVAILABLE_REASON;
    private static final MethodHandle NEW_THREAD;   // (Executor, String, int, Runnable) Thread
    private static final VarHandle SCHEDULER;       // VirtualThread.scheduler: Executor
    private static final VarHandle CARRIER;         // VirtualThread.carrierThread: Thread (volatile)
    /** Thread.start(ThreadContainer), typed (Thread, Object)void; null if unavailable. */
    private static final MethodHandle START_IN;
    /** GoThreadContainer.create(Sched) as (Sched)Object; null if unavailable. */
    private static final MethodHandle NEW_CONTAINER;
    /** Why goroutines cannot start in goloom's thread container, or null when they can. */
    static final String CONTAINER_UNAVAILABLE;

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

        MethodHandle st = null;
        MethodHandle nc = null;
        String cwhy = null;
        if ("false".equals(System.getProperty("goloom.threadContainer"))) {
            cwhy = "-Dgoloom.threadContainer=false";
        } else {
            try {
                Module base = Object.class.getModule();
                Module me = VThreads.class.getModule();
                if (!base.isExported("jdk.internal.vm", me)) {
                    MethodHandle exp = MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup())
                            .findVirtual(Module.class, "implAddExports",
                                    MethodType.methodType(void.class, String.class, Module.class));
                    exp.invokeExact(base, "jdk.internal.vm", me);
                }
                Class<?> tc = Class.forName("jdk.internal.vm.ThreadContainer");
                st = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                        .findVirtual(Thread.class, "start", MethodType.methodType(void.class, tc))
                        .asType(MethodType.methodType(void.class, Thread.class, Object.class));
                Class<?> gc = Class.forName("dev.goloom.internal.sched.GoThreadContainer");
                nc = MethodHandles.lookup().findStatic(gc, "create",
                        MethodType.methodType(Object.class, Sched.class));
            } catch (Throwable e) {
                st = null;
                nc = null;
                cwhy = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        START_IN = st;
        NEW_CONTAINER = nc;
        CONTAINER_UNAVAILABLE = cwhy;
    }

    /**
     * goloom's thread container for {@code s} (registered with the JDK so thread dumps list its
     * goroutines), or null when goroutines must start in the JDK's root container.
     */
    static Object newContainer(Sched s) {
        if (NEW_CONTAINER == null) {
            return null;
        }
        try {
            return (Object) NEW_CONTAINER.invokeExact(s);
        } catch (Throwable t) {
            return null;   // the runtime works without: goroutines go to the root container
        }
    }

    /** Starts {@code t} in {@code container} (a {@link #newContainer}), or as Thread.start() if null. */
    static void start(Thread t, Object container) {
        if (container == null) {
            t.start();
            return;
        }
        try {
            START_IN.invokeExact(t, container);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
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
