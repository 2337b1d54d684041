package dev.goloom.internal.sched;

import java.util.stream.Stream;
import jdk.internal.vm.ThreadContainer;
import jdk.internal.vm.ThreadContainers;

/**
 * The JDK thread container goroutines start in: one per runtime, named {@code goloom:<runtime>},
 * registered with the JDK so that its thread dumps ({@code jcmd <pid> Thread.dump_to_file},
 * {@code HotSpotDiagnosticMXBean.dumpThreads}) list every goroutine under it, while nothing in
 * the JDK holds a parked goroutine's thread strongly (see VThreads and LeakCheck).
 *
 * <p>Loaded by name only, after VThreads exported {@code jdk.internal.vm} to goloom's module.
 */
final class GoThreadContainer extends ThreadContainer {
    /* Implementation notes
     *
     * Overview
     *   A shared container (no owner thread, so its parent is the root container) whose
     *   threads() is the runtime's registry (AllGs): goloom already knows every live goroutine,
     *   so the container keeps nothing of its own. onStart/onExit are the JDK's callbacks from
     *   VirtualThread.start(ThreadContainer) and afterDone(). onStart keeps the JDK's empty
     *   default (Sched.newproc registered the g already); onExit counts the end of a g whose
     *   body never reached goleave (an OutOfMemoryError in the JDK's code around the body:
     *   the runtime then waited for it for ever), and costs a read of G.exited otherwise (AllGs.remove).
     *   The registration lasts until the container is collected with its runtime (the JDK's
     *   registry holds it weakly); a closed runtime that is still reachable lists no threads.
     *
     * Lineage
     *   The JDK's jdk.internal.vm.SharedThreadContainer (which we cannot use: it keeps its
     *   virtual threads in a strong set) and ThreadContainers.RootContainer.TrackingRootContainer.
     *
     * Invariants
     *   I1 threads() lists exactly the threads of the goroutines in sched.allgs at the time of
     *      the snapshot whose g is still reachable (a weak registry slot during a leak check
     *      yields its thread only while the g is alive).
     *   I2 the container holds no thread: nothing here keeps a goroutine alive.
     *
     * Ownership & locking
     *   sched is final; the registry key is written once in create(). threads() takes the
     *   registry's stripe locks (AllGs.snapshot) and nothing else.
     *
     * Memory ordering
     *   None of its own: AllGs.snapshot() reads under the stripe locks.
     *
     * Rejected alternatives
     *   A weak set of threads in the container (a second registry to keep in step with allgs).
     */
    private final Sched sched;
    /** the JDK's registration key (a weak reference to this container, in ThreadContainers). */
    @SuppressWarnings("unused") private Object key;

    private GoThreadContainer(Sched sched) {
        super(true);   // shared: no owner thread, parent is the root container
        this.sched = sched;
    }

    /** A registered container for {@code s}'s goroutines (typed Object: callers never link to us). */
    static Object create(Sched s) {
        GoThreadContainer c = new GoThreadContainer(s);
        c.key = ThreadContainers.registerContainer(c);
        return c;
    }

    @Override
    public String name() {
        return "goloom:" + sched.name();
    }

    /**
     * The JDK's callback as a goroutine's virtual thread terminates (VirtualThread.afterDone,
     * on the carrier): the safety net that counts a goroutine whose body never reached
     * goleave (Sched.threadExited).
     */
    @Override
    protected void onExit(Thread thread) {
        sched.threadExited(thread);
    }

    @Override
    public Stream<Thread> threads() {
        return sched.allgs.snapshot().stream().map(g -> g.thread).filter(t -> t != null && t.isAlive());
    }
}
