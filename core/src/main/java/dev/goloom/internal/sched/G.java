package dev.goloom.internal.sched;

import dev.goloom.Goroutine;
import dev.goloom.GoroutineState;
import dev.goloom.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;

/**
 * A goroutine: Go's {@code g}. The goroutine's code runs on a JDK virtual thread; this object is
 * goloom's record of it and, under the GMP scheduler, that virtual thread's <em>scheduler</em>.
 */
public final class G implements Goroutine, Executor, Runnable {
    /* Implementation notes
     *
     * Overview
     *   Under the GMP scheduler each goroutine's virtual thread is built with this g as its
     *   Executor (VThreads.newThread). The JDK calls execute(runContinuation) whenever the thread
     *   must run: at start, after an unpark, after Thread.yield. execute() hands the g to the
     *   scheduler (Sched.ready), which puts it in a run queue; an M later calls cont.run(), which
     *   mounts the virtual thread and runs it until it parks, yields or ends.
     *   A virtual thread started *inside* a goroutine with Thread.ofVirtual() inherits its parent's
     *   scheduler, so execute() may also receive a foreign continuation: it is run as an anonymous
     *   scheduling unit (Sched.readyForeign), not as a goroutine.
     *   In fallback mode (no access to the JDK's builder) the thread is an ordinary virtual
     *   thread and execute() is never called.
     *
     * Lineage
     *   golang/go src/runtime/runtime2.go (type g), proc.go (newproc, goready, gopark).
     *
     * Invariants
     *   I1 cont is set once, by the first execute() (Thread.start), before any other call.
     *   I2 a g is in at most one run queue at a time. The JDK normally calls execute() once per
     *      wake-up, but may submit again (after getStackTrace() of a runnable thread it
     *      resubmits unconditionally; running a continuation that is not runnable is a no-op), so
     *      `queued` (CAS false -> true in Sched.ready, cleared by the M just before it runs the
     *      continuation) drops duplicates. A duplicate let through in the window after the clear
     *      is harmless: its run is a no-op, and nothing scheduling-relevant reads g.m (the M of
     *      a running goroutine is read from its carrier: VThreads.carrierOf).
     *   I3 status == G_DEAD only after the body has finished; a dead g is never queued again.
     *
     * Ownership & memory ordering
     *   status: written by the M that runs the g (RUNNING, WAITING, DEAD) and by ready()
     *     (RUNNABLE); volatile, read by dumps, sysmon and deadlock detection.
     *   waitReason/waitSince: written by the g itself just before it parks, cleared after;
     *     volatile, read by dumps (a benign race: a dump may show a reason a moment stale).
     *   m, schedlink: written by the scheduler only while it owns the g (in a queue or mounted);
     *     published through the run queues' release/acquire pairs.
     *   leakArmed: volatile; set by a running leak check, cleared under the registry's stripe
     *     lock (AllGs.strengthen/settle). execute() reads it after ready() (which follows the
     *     JDK's PARKED -> UNPARKED transition): the pair of LeakCheck's "arm, then read the park
     *     state" (see there). One volatile read per wake-up; nothing is allocated per park.
     */

    // status words: Go's _Gxxx. Transitions:
    //   RUNNABLE -> RUNNING (an M mounts it)  RUNNING -> WAITING (it parked)
    //   WAITING/RUNNING -> RUNNABLE (execute: woken or yielded)  RUNNING -> DEAD (body ended)
    //   RUNNING -> SYSCALL (sysmon took its P away while it was stuck) -> RUNNING/WAITING/DEAD
    public static final int G_RUNNABLE = 1, G_RUNNING = 2, G_WAITING = 3, G_SYSCALL = 4, G_DEAD = 5;

    final long goid;
    final String name;
    final Sched sched;
    /** the frame that ran `go` (Go's "created by"); null when unknown. */
    final StackTraceElement createdBy;
    final long parentGoid;

    /** the goroutine's virtual thread; set before start. */
    Thread thread;
    /**
     * the body go() was given, until the thread starts it (Sched.goexit takes it and clears the
     * field); null for newThread() goroutines and foreign units. Plain: written before the
     * thread starts (Thread.start's happens-before), read and cleared by that thread.
     */
    Task task;
    /** the JDK's runContinuation task for our thread (I1). */
    private volatile Runnable cont;

    volatile int status = G_RUNNABLE;
    /**
     * set once, as the goroutine ends, and never cleared: AllGs's "dead" (status may still be
     * overwritten afterwards by a late, harmless resubmission of the ended thread). Set through
     * {@link #markExited()}, which makes exactly one of its callers count the exit.
     */
    volatile boolean exited;
    /** true while this g sits in a run queue (I2): set by Sched.ready, cleared by the M. */
    @SuppressWarnings("unused") private volatile boolean queued;
    volatile WaitReason waitReason;
    volatile long waitSince;
    /** what the goroutine is parked on (Park's blocker argument), else null; for wait-for graphs. */
    volatile Object blocker;

    /**
     * set by a running leak check (LeakCheck) while it may hold this g only weakly; the first
     * wake-up after that (execute) clears it and makes the registry hold the g strongly again.
     */
    volatile boolean leakArmed;
    /** this g's slot in its runtime's AllGs (guarded by the stripe's lock; -1: none). */
    int slot = -1;
    /** the M that last mounted this g (written by that M before mounting; read by state() and
     *  goleave's trace event; may be stale: the carrier is the truth, VThreads.carrierOf). */
    M m;
    /** link in the global run queue (guarded by the global queue's lock). */
    G schedlink;
    /** the value the body threw, if any (a panic); set before status becomes G_DEAD. */
    Throwable panic;
    /** the main goroutine of GoRuntime.main, whose panic ends main. */
    volatile boolean isMain;
    /** set by Sched.gosched just before Thread.yield: the wake-up goes to the global queue. */
    volatile boolean yielding;
    /**
     * sysmon asks this goroutine to yield at its next preemption point (Go's gp.preempt); opaque
     * accesses (PREEMPT): a flag seen late only delays the yield, and sysmon hands the P off if
     * the goroutine does not yield within Sysmon.PREEMPT_GRACE_NS.
     */
    @SuppressWarnings("unused") private boolean preemptReq;
    /**
     * the channel package's cached sudog for this goroutine's plain sends and receives (Go's
     * per-P sudogcache, kept per goroutine: see Sudog); touched only by the goroutine itself.
     */
    private Object sudog;
    /** true for an anonymous unit running a foreign virtual thread's continuation. */
    final boolean foreign;
    /** the foreign continuation (foreign units only). */
    private final Runnable foreignCont;

    private static final VarHandle QUEUED;
    private static final VarHandle PREEMPT;
    private static final VarHandle EXITED;
    static {
        try {
            EXITED = MethodHandles.lookup().findVarHandle(G.class, "exited", boolean.class);
            QUEUED = MethodHandles.lookup().findVarHandle(G.class, "queued", boolean.class);
            PREEMPT = MethodHandles.lookup().findVarHandle(G.class, "preemptReq", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    G(Sched sched, long goid, String name, StackTraceElement createdBy, long parentGoid) {
        this.sched = sched;
        this.goid = goid;
        this.name = name;
        this.createdBy = createdBy;
        this.parentGoid = parentGoid;
        this.foreign = false;
        this.foreignCont = null;
    }

    /**
     * Marks this g ended (no wait reason, status G_DEAD, {@link #exited}); true for the one
     * caller that got there first (AllGs.remove, which its three callers go through).
     */
    boolean markExited() {
        if (exited || !EXITED.compareAndSet(this, false, true)) {
            return false;
        }
        waitReason = null;
        status = G_DEAD;
        return true;
    }

    /** An anonymous scheduling unit for a foreign continuation. */
    G(Sched sched, Runnable foreignCont) {
        this.sched = sched;
        this.goid = 0;
        this.name = "foreign";
        this.createdBy = null;
        this.parentGoid = 0;
        this.foreign = true;
        this.foreignCont = foreignCont;
        this.cont = foreignCont;
    }

    /**
     * The goroutine's body, as its virtual thread's task: one object less per goroutine than a
     * lambda around Sched.goexit (the unstarted goroutines of a million-goroutine fan-out are
     * what the collector copies). Called once, by this g's own thread; from any other thread
     * (a Goroutine handle cast to Runnable) it throws and changes nothing.
     */
    @Override
    public void run() {
        if (Thread.currentThread() != thread || task == null) {
            throw new IllegalStateException("goloom: a goroutine's body runs only on its own thread, once");
        }
        sched.goexit(this);
    }

    /** The JDK asks us to run a continuation: ours (a wake-up) or a child virtual thread's. */
    @Override
    public void execute(Runnable task) {
        Runnable c = cont;
        if (c == task) {
            sched.ready(this);
            if (leakArmed) {                   // a leak check is running: see LeakCheck
                sched.allgs.strengthen(this);
            }
        } else if (c == null && !foreign) {
            cont = task;                       // keeps I1: the start of our own thread
            sched.ready(this);
        } else {
            sched.ready(new G(sched, task));   // a virtual thread started inside a goroutine
        }
    }

    /** Runs the continuation until it parks, yields or ends; called by an M only. */
    void runCont() {
        Runnable c = foreign ? foreignCont : cont;
        c.run();
    }

    /** The goroutine's cached sudog (owner only), or null. */
    public Object sudogCache() {
        return sudog;
    }

    /** Caches {@code s} as this goroutine's sudog (owner only). */
    public void sudogCache(Object s) {
        sudog = s;
    }

    /** sysmon: yield at the next preemption point (opaque: see preemptReq). */
    void requestPreempt() {
        PREEMPT.setOpaque(this, true);
    }

    /** True if sysmon asked for a yield; clears the request. Called by the goroutine or its M. */
    boolean takePreempt() {
        if ((boolean) PREEMPT.getOpaque(this)) {
            PREEMPT.setOpaque(this, false);
            return true;
        }
        return false;
    }

    boolean casQueued(boolean expect, boolean update) {
        return QUEUED.compareAndSet(this, expect, update);
    }

    /** The M took this g out of its queue (volatile: a later ready() must see it). */
    void clearQueued() {
        QUEUED.setVolatile(this, false);
    }

    boolean queuedVolatile() {
        return (boolean) QUEUED.getVolatile(this);
    }

    // ------------------------------------------------------------------------- Goroutine

    @Override
    public long id() {
        return goid;
    }

    @Override
    public String name() {
        return name != null ? name : "goroutine-" + goid;
    }

    /**
     * The state, derived: a goroutine that set a wait reason is WAITING; one marked RUNNING is
     * really running only while its M has it mounted (else it parked somewhere goloom does not
     * know: WAITING); SYSCALL while its M lost its P to a hand-off. Racy by nature (a snapshot).
     */
    @Override
    public GoroutineState state() {
        int s = status;
        if (s == G_DEAD) {
            return GoroutineState.DEAD;
        }
        if (s == G_RUNNABLE) {
            return GoroutineState.RUNNABLE;
        }
        if (waitReason != null) {
            return GoroutineState.WAITING;
        }
        if (!sched.gmp) {
            Thread t = thread;
            Thread.State ts = t == null ? Thread.State.NEW : t.getState();
            return ts == Thread.State.WAITING || ts == Thread.State.TIMED_WAITING || ts == Thread.State.BLOCKED
                    ? GoroutineState.WAITING : GoroutineState.RUNNING;
        }
        M mm = m;
        if (mm != null && mm.curg == this) {
            return mm.syscall ? GoroutineState.SYSCALL : GoroutineState.RUNNING;
        }
        return GoroutineState.WAITING;
    }

    /** The virtual thread running this goroutine (for stacks and interrupts). */
    public Thread thread() {
        return thread;
    }

    /** Go's wait reason while parked in a known place, else null. */
    public WaitReason waitReason() {
        return waitReason;
    }

    /** System.nanoTime() when the current wait began (meaningful only while waiting). */
    public long waitSince() {
        return waitSince;
    }

    /** The object the goroutine is parked on (a channel, a lock), or null when not parked in Park. */
    public Object blocker() {
        return blocker;
    }

    public long parentId() {
        return parentGoid;
    }

    public StackTraceElement createdBy() {
        return createdBy;
    }

    /** The runtime this goroutine belongs to. */
    public Sched sched() {
        return sched;
    }

    @Override
    public String toString() {
        return "goroutine " + goid + " [" + name + "]";
    }

    // ------------------------------------------------------------------------- current

    /**
     * The runtime of the calling goroutine, or null on a plain thread: what a callback that must
     * later start a goroutine "in the creator's runtime" remembers (Timers.goFunc).
     */
    public static Sched currentSched() {
        G g = current();
        return g == null ? null : g.sched;
    }

    /**
     * The goroutine running on the calling thread, or null when the caller is not a goroutine.
     * Under the GMP scheduler this is one field read (the virtual thread's scheduler is its g);
     * in fallback mode a thread-local.
     */
    public static G current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Object s = VThreads.schedulerOf(t);
            if (s instanceof G g && g.thread == t) {   // a child thread inherits its parent's g
                return g;
            }
            return Sched.FALLBACK_CURRENT.get();
        }
        return null;
    }
}
