package dev.goloom.internal.sched;

import dev.goloom.DeadlockError;
import dev.goloom.GoroutineInfo;
import dev.goloom.GoroutineState;
import dev.goloom.SchedStats;
import dev.goloom.Task;
import dev.goloom.internal.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One goloom runtime: Go's {@code schedt} — the Ps, the Ms, the global run queue, the idle lists,
 * sysmon — plus the allgs registry. {@code GoRuntime} is its public face.
 */
public final class Sched {
    /* Implementation notes
     *
     * Overview
     *   Goroutines are virtual threads whose scheduler is their own g (G.execute). Whenever the
     *   JDK wants a goroutine to run (start, unpark, yield) it calls ready(g), which puts g in the
     *   waker's runnext when the waker runs on one of our Ms, else in the global queue, and wakes
     *   an idle P if no M is spinning (wakep). Ms (M.java) run the scheduling loop; sysmon
     *   (Sysmon.java) hands off Ps whose M is stuck inside one goroutine and ends time slices.
     *   Without access to the JDK's builder (VThreads.AVAILABLE false) goroutines run on the
     *   JDK's default scheduler instead (fallback mode): every API still works, the scheduler
     *   counters are absent.
     *
     * Lineage
     *   golang/go src/runtime/proc.go (go1.19): ready/goready, wakep, startm, newm, stopm,
     *   handoffp, pidleget/pidleput, mget/mput, procresize, checkdead; runtime2.go schedt.
     *
     * Invariants
     *   I1 npidle == the length of the idle P list; a P is on it iff its state is P_IDLE.
     *   I2 nmidle == the length of the idle M list; an M is on it only inside M.stopm.
     *   I3 nmspinning == the number of Ms with spinning == true.
     *   I4 a goroutine is in at most one run queue (global or one P's), or mounted on one M.
     *   I5 timerWaiter, if set, is on the idle M list and parks until timerWaitUntil.
     *
     * Ownership & locking
     *   lock (SchedLock: a spin lock, see there; rank 1, Go's sched.lock) guards: the idle P list (pidle, P.link), the idle M list
     *   (midle, M.schedlink, nmidle), timerWaiter, timerWaitUntil, allp growth, mcount limits.
     *   globrunq has its own leaf lock (rank 2): never take `lock` while holding it.
     *   npidle, nmspinning, nmsys are atomics read without the lock (as Go's).
     *
     * Memory ordering
     *   ready() -> runqput: see RunQueue. A P handed to an M through M.nextp is written under
     *   `lock` before LockSupport.unpark(m) and read by m after park returns (unpark/park pair).
     *   wakep's "npidle != 0 && nmspinning == 0" reads and findRunnable's "drop spinning, then
     *   re-check every queue" form Go's Dekker pair: the waker publishes work (queue write) then
     *   reads nmspinning; the spinner decrements nmspinning (a volatile RMW: StoreLoad) then reads
     *   the queues. One of them sees the other.
     *
     * Rejected alternatives
     *   ForkJoinPool as the carrier pool (the JDK default): no runnext, no P, no hand-off of a
     *   stuck carrier; its compensation creates threads only for managed blockers.
     */

    /** the goroutine of the calling virtual thread in fallback mode. */
    static final ThreadLocal<G> FALLBACK_CURRENT = new ThreadLocal<>();
    private static final AtomicLong GOIDS = new AtomicLong();
    /** Go's limit on Ms. */
    static final int MAX_THREADS = Integer.getInteger("goloom.maxThreads", 10_000);
    private static volatile boolean fallbackWarned;

    final String name;
    /** true: the GMP scheduler runs goroutines; false: fallback mode (JDK scheduler). */
    final boolean gmp;
    private volatile boolean closed;
    /** allgs: every live goroutine. */
    final AllGs allgs = new AllGs();
    /** goloom's JDK thread container for this runtime's goroutines, or null (VThreads). */
    final Object container = VThreads.newContainer(this);

    // ---- GMP state
    final SchedLock lock = new SchedLock();
    /** every P ever made; the first gomaxprocs are live. Copy-on-write under lock. */
    volatile P[] allp;
    volatile int gomaxprocs;
    private P pidle;
    final AtomicInteger npidle = new AtomicInteger();
    private M midle;
    private volatile int nmidle;
    final AtomicInteger mcount = new AtomicInteger();
    final AtomicInteger nmspinning = new AtomicInteger();
    /** Ms inside a goroutine whose P was handed off (Go's "in syscall"). */
    final AtomicInteger nmsys = new AtomicInteger();
    final GlobalRunQueue globrunq = new GlobalRunQueue();
    final AtomicLong handoffs = new AtomicLong();
    /** M starts that failed (newm), and sysmon's wakeps for work no M looked at in two rounds
     *  (Sysmon.orphanedWork). Both stay 0 in a healthy process; schedtrace prints them when they
     *  are not. Orphan wake-ups with no failed start point at a lost wake-up in the scheduler. */
    final AtomicLong newmFailures = new AtomicLong();
    final AtomicLong orphanWakeups = new AtomicLong();
    /** sysmon asked a goroutine running for 10 ms to yield (cooperative preemption). */
    final AtomicLong preemptRequests = new AtomicLong();
    private final AtomicInteger mids = new AtomicInteger();
    private M timerWaiter;
    private volatile long timerWaitUntil = Long.MAX_VALUE;
    private Sysmon sysmon;
    /** this runtime's timer host (its Ps' heaps); see SchedTimers. */
    final SchedTimers.PerSched timerHost = new SchedTimers.PerSched(this);

    public Sched(String name, int maxProcs) {
        if (maxProcs < 1) {
            throw new IllegalArgumentException("goloom: maxProcs must be at least 1, got " + maxProcs);
        }
        this.name = name;
        this.gmp = VThreads.AVAILABLE;
        this.gomaxprocs = maxProcs;
        if (gmp) {
            P[] ps = new P[maxProcs];
            for (int i = 0; i < maxProcs; i++) {
                ps[i] = newP(i);
            }
            allp = ps;
            SchedTimers.register(this);
            lock.lock();
            try {
                for (int i = maxProcs - 1; i >= 0; i--) {
                    pidleput(ps[i]);
                }
            } finally {
                lock.unlock();
            }
            sysmon = new Sysmon(this);
            sysmon.start();
        } else {
            allp = new P[0];
            warnFallback();
        }
    }

    private static void warnFallback() {
        if (!fallbackWarned) {
            fallbackWarned = true;
            System.err.println("goloom: running goroutines on the JDK's default scheduler (no GMP "
                    + "scheduler: " + VThreads.UNAVAILABLE_REASON + "); add the JVM flag "
                    + "--add-opens java.base/java.lang=ALL-UNNAMED for goloom's scheduler");
        }
    }

    /**
     * A coarse System.nanoTime(), refreshed by every running sysmon each round (20 us to 10 ms):
     * wait start times need minutes, not nanoseconds, and a park must not pay for a clock read.
     * 0 while no sysmon runs (fallback mode): then the real clock.
     */
    static volatile long coarseNanos;

    private P newP(int id) {
        P pp = new P(this, id);
        pp.timers = SchedTimers.newHeap(this);
        return pp;
    }

    /** True while a timer that can wake one of our goroutines is pending. */
    boolean timersPending() {
        return gmp ? SchedTimers.pending(this) : Deadlock.timersPending.getAsBoolean();
    }

    /** The coarse clock for wait times. */
    static long nanoTime() {
        long c = coarseNanos;
        return c != 0 ? c : System.nanoTime();
    }

    public String name() {
        return name;
    }

    public boolean isClosed() {
        return closed;
    }

    /** True when goroutines run on goloom's GMP scheduler (false: fallback mode). */
    public boolean isGmp() {
        return gmp;
    }

    // ------------------------------------------------------------------------------ newproc

    /** Go's {@code newproc}: creates and starts a goroutine running {@code task}. */
    public G newproc(String name, Task task) {
        if (task == null) {
            throw new NullPointerException("goloom: go(null): the task is null");
        }
        if (closed) {
            throw new IllegalStateException("goloom: runtime '" + this.name + "' is closed");
        }
        long id = newGoid();
        G parent = G.current();
        G g = new G(this, id, name, creator(task), parent == null ? 0 : parent.goid);
        g.task = task;
        g.thread = newThread(g, name, g);          // g is the body: G.run calls goexit(g)
        allgs.add(g);
        if (Trace.on) {
            Trace.emit(Trace.GO_CREATE, -1, id, g.parentGoid, name);
        }
        try {
            VThreads.start(g.thread, container);   // not Thread.start(): see VThreads, GoThreadContainer
        } catch (Throwable t) {
            allgs.remove(g);                       // never started: close() must not wait for it
            throw t;
        }
        if (parent != null && parent.takePreempt()) {
            gosched();  // a preemption point (Park.preemptPoint): a long fan-out of go() yields
        }
        return g;
    }

    /**
     * Starts {@code body} in the calling goroutine's runtime, or in the global runtime when the
     * caller is a plain thread (Go has one runtime; what {@code wg.Go} and the x package's stage
     * goroutines mean by "go"). Throws as {@link #newproc} does, e.g. when that runtime is closed.
     */
    public static void goHere(String name, Task body) {
        Sched s = G.currentSched();
        if (s != null) {
            s.newproc(name, body);
        } else {
            dev.goloom.GoRuntime.global().go(name, body);
        }
    }

    private Thread newThread(G g, String name, Runnable body) {
        if (gmp) {
            return VThreads.newThread(g, name, body);
        }
        Thread.Builder.OfVirtual b = Thread.ofVirtual();
        if (name != null) {
            b.name(name);
        }
        return b.unstarted(body);
    }

    /** Goids an M takes from GOIDS at a time (Go's _GoidCacheBatch). */
    private static final int GOID_BATCH = 16;

    /**
     * A new goroutine id: Go's goidcache. Each M takes {@value #GOID_BATCH} ids at a time from
     * the shared counter, so two Ps spawning at once (skynet) do not bounce one cache line per
     * go(). Only the thread running on the M uses its batch (the goroutine mounted there, or
     * the M itself running timer callbacks: never both at once), with no park in between.
     * As in Go, ids are unique and increase along each M, not globally in creation order.
     */
    private static long newGoid() {
        M m = currentMAny();
        if (m == null) {
            return GOIDS.incrementAndGet();    // a plain thread
        }
        long id = m.goidNext;
        if (id == m.goidEnd) {
            id = GOIDS.getAndAdd(GOID_BATCH) + 1;
            m.goidEnd = id + GOID_BATCH;
        }
        m.goidNext = id + 1;
        return id;
    }

    /** Go's "created by": the class whose code the goroutine runs (no stack walk per go). */
    private static StackTraceElement creator(Object body) {
        return CREATORS.get(body.getClass());
    }

    /** One shared "created by" frame per task class (no string or frame allocated per go). */
    private static final ClassValue<StackTraceElement> CREATORS = new ClassValue<>() {
        @Override
        protected StackTraceElement computeValue(Class<?> type) {
            String cls = type.getName();
            int i = cls.indexOf("$$Lambda");
            if (i > 0) {
                cls = cls.substring(0, i);
            }
            return new StackTraceElement(cls, "go", null, -1);
        }
    };

    /**
     * {@code GoRuntime.threadFactory()}: an unstarted thread that runs {@code r} as a goroutine.
     * It counts as live from its start; an exception escaping it goes to the thread's
     * UncaughtExceptionHandler, as for any Java thread.
     */
    public Thread newThread(Runnable r) {
        if (r == null) {
            throw new NullPointerException("goloom: newThread(null)");
        }
        if (closed) {
            throw new IllegalStateException("goloom: runtime '" + this.name + "' is closed");
        }
        long id = newGoid();
        G parent = G.current();
        G g = new G(this, id, null, creator(r), parent == null ? 0 : parent.goid);
        g.thread = newThread(g, "goroutine-" + id, () -> {
            allgs.add(g);
            goenter(g);
            try {
                r.run();
            } finally {
                goleave(g);
            }
        });
        return g.thread;
    }

    /**
     * The goroutine's thread {@code t} has terminated (the JDK's thread-container callback):
     * if nothing counted the end of its g yet (the virtual thread failed before or after the
     * body, say out of memory), count it now, so that numGoroutine and close() do not wait for
     * it for ever. Runs on the carrier, after the thread unmounted; allocates nothing.
     */
    void threadExited(Thread t) {
        // slot < 0: a threadFactory() thread that died before its body registered it
        if (VThreads.schedulerOf(t) instanceof G g && g.sched == this && g.slot >= 0) {
            allgs.remove(g);
        }
    }

    /** The goroutine's whole life, run on its virtual thread (G.run). */
    void goexit(G g) {
        Task task = g.task;
        g.task = null;                             // the frame holds it now, and only while it runs
        goenter(g);
        try {
            task.run();
        } catch (Throwable t) {
            g.panic = t;
            Panics.report(g, t);
        } finally {
            goleave(g);
            if (g.panic != null) {
                Panics.afterPanic(this, g, g.panic);
            }
            if (g.isMain) {
                mainPanicked(null);
            }
        }
    }

    /** First thing a goroutine's thread does. */
    private void goenter(G g) {
        if (!gmp) {
            FALLBACK_CURRENT.set(g);
        }
        g.status = G.G_RUNNING;
    }

    /**
     * Last thing a goroutine's body does: it is dead and leaves allgs. (If the body never got
     * here, its thread's termination does it: GoThreadContainer.onExit.)
     */
    private void goleave(G g) {
        allgs.remove(g);
        if (Trace.on) {
            M m = g.m;
            Trace.emit(Trace.GO_END, m != null && m.p != null ? m.p.id : -1, g.goid, 0);
        }
    }

    /** Go's Gosched: the calling goroutine goes to the back of the global queue. */
    public static void gosched() {
        G g = G.current();
        if (g != null && g.sched.gmp) {
            g.yielding = true;
        }
        Thread.yield();
        if (g != null) {
            g.yielding = false; // the yield may not have happened (a pinned continuation)
        }
    }

    // ------------------------------------------------------------------------------ ready

    /**
     * The JDK asks to run {@code gp} (start, wake-up or yield): Go's {@code ready}. On one of our
     * Ms the goroutine goes to that M's P's runnext (a goroutine readied by the one running
     * runs next, on the same core); from anywhere else to the global queue.
     */
    void ready(G gp) {
        if (!gp.foreign) {
            if (!gp.casQueued(false, true)) {
                // Already in a run queue: the JDK may submit a continuation again (it does after
                // Thread.getStackTrace() of a runnable virtual thread); the queued entry runs it.
                return;
            }
            gp.status = G.G_RUNNABLE;
        }
        if (gp.yielding) {
            gp.yielding = false;
            if (Trace.on && !gp.foreign) {
                traceUnblock(gp, -1);
            }
            globrunq.put(gp); // Gosched: the back of the global queue
            wakepIfIdle();
            return;
        }
        M m = currentM();
        if (m != null) {
            P pp = m.p;
            if (pp != null) {
                long s = pp.status();
                boolean next = gp != m.curg; // a goroutine readying itself goes to the tail
                if (s == P.pack(m.id, P.P_SCHED)) {
                    if (Trace.on && !gp.foreign) {
                        traceUnblock(gp, pp.id);
                    }
                    pp.runqput(gp, next);
                    wakepIfIdle();
                    return;
                }
                long run = P.pack(m.id, P.P_RUNNING);
                if (s == run && pp.casStatus(run, P.pack(m.id, P.P_SCHED))) { // keeps P.I1
                    if (Trace.on && !gp.foreign) {
                        traceUnblock(gp, pp.id);  // C1: this thread holds pp (P_SCHED, ours)
                    }
                    pp.runqput(gp, next);
                    pp.setStatus(run);
                    wakepIfIdle();
                    return;
                }
            }
        }
        if (Trace.on && !gp.foreign) {
            traceUnblock(gp, -1);
        }
        globrunq.put(gp);
        wakepIfIdle();
    }

    /**
     * GoUnblock, emitted before gp is queued (so before it can start) into the waker's P buffer
     * when the waker holds that P (C1), else the shared one. On a P it is untimed
     * (Trace.UNTIMED): the waker's slice is timed at both ends, and a reader places the event
     * inside it; a clock read here was half the tracer's cost in a channel ping-pong.
     */
    private static void traceUnblock(G gp, int p) {
        G w = G.current();
        Trace.emitAt(Trace.GO_UNBLOCK, p, gp.goid, w == null ? 0 : w.goid, p >= 0 ? Trace.UNTIMED : 0);
    }

    /** The M the calling thread runs on, if it is one of ours. */
    private M currentM() {
        M mm = currentMAny();   // a waker's carrier is pinned while the JDK calls execute
        return mm != null && mm.sched == this ? mm : null;
    }

    /** The M the calling thread runs on, of any runtime (null if none). */
    static M currentMAny() {
        Thread t = Thread.currentThread();
        if (t instanceof M mm) {
            return mm;
        }
        if (t.isVirtual() && VThreads.carrierOf(t) instanceof M mm) {
            return mm;
        }
        return null;
    }

    private void wakepIfIdle() {
        if (npidle.get() != 0 && nmspinning.get() == 0) {
            wakep();
        }
    }

    /** Go's wakep: start one spinning M on an idle P, unless one is spinning already. */
    void wakep() {
        if (closed && allgs.isEmpty()) {
            return;
        }
        if (!nmspinning.compareAndSet(0, 1)) {
            return;
        }
        startm(null, true);
    }

    /**
     * Go's startm: gives {@code pp} (or an idle P) to an idle M, or to a new one. When
     * {@code spinning}, the caller has counted the new spinner in nmspinning already.
     */
    void startm(P pp, boolean spinning) {
        M nm;
        lock.lock();
        try {
            if (pp == null) {
                pp = pidleget();
                if (pp == null) {
                    if (spinning) {
                        nmspinning.decrementAndGet(); // keeps I3
                    }
                    return;
                }
            }
            nm = mget();
            if (nm != null) {
                nm.spinning = spinning;
                nm.nextp = pp;
            }
        } finally {
            lock.unlock();
        }
        if (nm != null) {
            LockSupport.unpark(nm);
            return;
        }
        newm(pp, spinning);
    }

    /** Tests only: run before each new M is made; throwing OutOfMemoryError fails the start. */
    volatile Runnable newmFault;

    private void newm(P pp, boolean spinning) {
        if (mcount.get() >= MAX_THREADS) {
            // Go dies here ("program exceeds 10000-thread limit"); we keep the P idle instead.
            System.err.println("goloom: runtime: program exceeds " + MAX_THREADS + "-thread limit");
            noM(pp, spinning);
            return;
        }
        mcount.incrementAndGet();                // before start: the M's exit decrements it
        try {
            Runnable fault = newmFault;
            if (fault != null) {
                fault.run();                     // tests: a thread start that fails
            }
            M nm = new M(this, mids.incrementAndGet());
            nm.spinning = spinning;
            nm.nextp = pp;
            nm.start();
        } catch (OutOfMemoryError e) {
            // No memory for the M, or no native thread ("unable to create native thread"). Go
            // dies here; we give the P back, idle, with whatever it had queued, and go on: the
            // M that readied a goroutine must not fail (a channel's close readies under the
            // channel's lock), and sysmon starts an M for queued work that no M looks at once
            // memory allows (Sysmon.orphanedWork). Before, the P was lost for good: with
            // GOMAXPROCS=2, two failures and nothing ran again.
            newmFailures.incrementAndGet();
            mcount.decrementAndGet();
            noM(pp, spinning);
        }
    }

    /** newm made no M for pp: pp goes back to the idle list, the would-be spinner uncounted. */
    private void noM(P pp, boolean spinning) {
        lock.lock();
        try {
            pidleput(pp);
        } finally {
            lock.unlock();
        }
        if (spinning) {
            nmspinning.decrementAndGet();        // keeps I3
        }
    }

    // ------------------------------------------------------------------------------ idle lists

    /** Lock held. Puts pp on the idle P list (keeps I1). */
    void pidleput(P pp) {
        if (pp.id >= gomaxprocs) {
            killP(pp);
            return;
        }
        pp.setStatus(P.pack(0, P.P_IDLE));
        pp.link = pidle;
        pidle = pp;
        npidle.incrementAndGet();
    }

    /** Lock held. Takes an idle P, or null. */
    P pidleget() {
        P pp = pidle;
        if (pp != null) {
            pidle = pp.link;
            pp.link = null;
            npidle.decrementAndGet();
            pp.setStatus(P.pack(0, P.P_HANDOFF)); // not idle; the taker acquires it next
        }
        return pp;
    }

    /** pidleget under the lock. */
    P pidlegetLocked() {
        if (npidle.get() == 0) {
            return null;
        }
        lock.lock();
        try {
            return pidleget();
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. Takes an idle M; the timer waiter only if it is the only one. */
    private M mget() {
        M m = midle;
        if (m == null) {
            return null;
        }
        if (m == timerWaiter && m.schedlink != null) {
            M second = m.schedlink;
            m.schedlink = second.schedlink;
            second.schedlink = null;
            nmidle--;
            return second;
        }
        midle = m.schedlink;
        m.schedlink = null;
        nmidle--;
        if (m == timerWaiter) {
            timerWaiter = null;
            timerWaitUntil = Long.MAX_VALUE;
        }
        return m;
    }

    /** Puts m on the idle list; it becomes the timer waiter if {@code until} is the earliest. */
    void mput(M m, long until) {
        lock.lock();
        try {
            m.schedlink = midle;
            midle = m;
            nmidle++;
            if (until != Long.MAX_VALUE && (timerWaiter == null || until < timerWaitUntil)) {
                timerWaiter = m;
                timerWaitUntil = until;
            }
        } finally {
            lock.unlock();
        }
    }

    /** m leaves stopm: make sure it is off the idle list and not the timer waiter. */
    void mparkDone(M m) {
        lock.lock();
        try {
            mremove(m);
            if (timerWaiter == m) {
                timerWaiter = null;
                timerWaitUntil = Long.MAX_VALUE;
            }
        } finally {
            lock.unlock();
        }
    }

    private void mremove(M m) {
        M prev = null;
        for (M x = midle; x != null; prev = x, x = x.schedlink) {
            if (x == m) {
                if (prev == null) {
                    midle = x.schedlink;
                } else {
                    prev.schedlink = x.schedlink;
                }
                x.schedlink = null;
                nmidle--;
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------ timers

    /** When the idle M {@code m} should wake for timers (Long.MAX_VALUE: only when handed a P). */
    long timerDeadlineFor(M m) {
        lock.lock();
        try {
            return timerWaiter == m ? timerWaitUntil : Long.MAX_VALUE;
        } finally {
            lock.unlock();
        }
    }

    /** The timer waiter's deadline passed: take an idle P to run timers (null if none). */
    P takeIdlePForTimers(M m) {
        lock.lock();
        try {
            if (m.nextp != null) {
                return null;
            }
            if (timerWaiter == m) {
                timerWaiter = null;
                timerWaitUntil = Long.MAX_VALUE;
            }
            P pp = pidleget();
            if (pp != null) {
                mremove(m);
                nmspinning.incrementAndGet();
            }
            return pp;
        } finally {
            lock.unlock();
        }
    }

    /** The earliest timer of every live P (Long.MAX_VALUE if none). */
    long earliestTimer() {
        long min = Long.MAX_VALUE;
        P[] all = allp;
        for (int i = 0; i < all.length; i++) {   // dead Ps too: they keep their timers
            TimerQueue t = all[i].timers;
            if (t != null) {
                min = Math.min(min, t.nextWhen());
            }
        }
        return min;
    }

    /**
     * A timer due at {@code when} was added (Go's wakeNetPoller): if it is earlier than what the
     * timer waiter sleeps for, wake it; with no timer waiter, make an idle M one.
     */
    public void timerAdded(long when) {
        if (!gmp || when >= timerWaitUntil) {
            return;
        }
        M wake = null;
        lock.lock();
        try {
            if (when >= timerWaitUntil) {
                return;
            }
            if (timerWaiter == null) {
                timerWaiter = midle;
            }
            if (timerWaiter != null) {
                timerWaitUntil = when;
                wake = timerWaiter;
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
        // no idle M: every M is busy and runs timers in its loop; sysmon watches the rest
    }

    // ------------------------------------------------------------------------------ hand-off

    /** sysmon took pp from a stuck M (Go's handoffp): give it to an M if there is work. */
    void handoffp(P pp) {
        long now = System.nanoTime();
        if (pp.hasWork(now) || !globrunq.isEmpty()) {
            startm(pp, false);
            return;
        }
        if (nmspinning.get() + npidle.get() == 0 && nmspinning.compareAndSet(0, 1)) {
            startm(pp, true); // no one else is looking for work: we are needed
            return;
        }
        lock.lock();
        try {
            pidleput(pp);
        } finally {
            lock.unlock();
        }
        TimerQueue t = pp.timers;
        if (t != null && t.nextWhen() != Long.MAX_VALUE) {
            timerAdded(t.nextWhen());
        }
    }

    /** The P of an M is beyond GOMAXPROCS: move its work away and retire it. */
    void retireP(M m, P pp) {
        pp.runq.drain(globrunq::put);
        lock.lock();
        try {
            m.releasep();
            killP(pp);
            P np = pidleget();
            if (np != null) {
                m.acquirep(np);
            }
        } finally {
            lock.unlock();
        }
        wakepIfIdle();
    }

    /** Lock held: pp is beyond GOMAXPROCS; its goroutines go global. Timers stay readable. */
    private void killP(P pp) {
        pp.setStatus(P.pack(0, P.P_DEAD));
        pp.runq.drain(globrunq::put); // racy only with stealers, which take whole elements
    }

    // ------------------------------------------------------------------------------ M lifecycle

    boolean mExit(M m) {
        return closed && allgs.isEmpty();
    }

    void mExited(M m) {
        mcount.decrementAndGet();
        lock.lock();
        try {
            mremove(m);
            if (timerWaiter == m) {
                timerWaiter = null;
                timerWaitUntil = Long.MAX_VALUE;
            }
            P pp = m.p;
            if (pp != null) {
                m.p = null;
                pidleput(pp);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The M owning pp per its status word (null when unknown). */
    M ownerM(P pp, long status) {
        M m = pp.m;
        return m != null && m.id == P.ownerOf(status) ? m : null;
    }

    /** Deadlock detection's view: no goroutine runs or can run (Go's checkdead preconditions). */
    boolean quiescent() {
        if (!gmp) {
            return true;
        }
        if (npidle.get() != gomaxprocs || !globrunq.isEmpty() || nmsys.get() != 0) {
            return false;
        }
        P[] all = allp;
        for (P pp : all) {
            if (!pp.runq.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------ queries

    public int numGoroutine() {
        return allgs.size();
    }

    public int maxProcs() {
        return gomaxprocs;
    }

    /** GOMAXPROCS = n (Go's procresize, without stopping the world); returns the old value. */
    public int maxProcs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("goloom: maxProcs must be at least 1, got " + n);
        }
        if (!gmp) {
            int old = gomaxprocs;
            gomaxprocs = n;
            return old;
        }
        int old;
        lock.lock();
        try {
            old = gomaxprocs;
            if (n == old) {
                return old;
            }
            P[] all = allp;
            if (n > all.length) {
                P[] grown = java.util.Arrays.copyOf(all, n);
                for (int i = all.length; i < n; i++) {
                    grown[i] = newP(i);
                    grown[i].setStatus(P.pack(0, P.P_DEAD));
                }
                allp = grown;
                all = grown;
            }
            gomaxprocs = n;
            if (n > old) {
                for (int i = old; i < n; i++) {
                    if (P.stateOf(all[i].status()) == P.P_DEAD) {
                        pidleput(all[i]);
                    }
                }
            } else {
                // idle Ps beyond n leave the idle list now; owned ones retire at their next round
                P prev = null;
                for (P x = pidle; x != null; ) {
                    P next = x.link;
                    if (x.id >= n) {
                        if (prev == null) {
                            pidle = next;
                        } else {
                            prev.link = next;
                        }
                        x.link = null;
                        npidle.decrementAndGet();
                        killP(x);
                    } else {
                        prev = x;
                    }
                    x = next;
                }
            }
        } finally {
            lock.unlock();
        }
        wakepIfIdle();
        return old;
    }

    public List<G> allGs() {
        return sortById(allgs.snapshot());
    }

    /**
     * Sorts by goroutine id. A comparator reading g.goid chases a pointer per comparison (a
     * cache miss each at 100k goroutines: a third of a dump's Java time); instead each id is
     * packed with its index into one long and the longs are sorted as primitives.
     */
    static List<G> sortById(List<G> l) {
        int n = l.size();
        int idxBits = 64 - Long.numberOfLeadingZeros(Math.max(1, n));
        long maxId = 0;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            maxId = Math.max(maxId, l.get(i).goid);
        }
        if (maxId >= (1L << (63 - idxBits))) {
            l.sort(Comparator.comparingLong(G::id));    // ids too large to pack: never in practice
            return l;
        }
        for (int i = 0; i < n; i++) {
            keys[i] = (l.get(i).goid << idxBits) | i;
        }
        java.util.Arrays.sort(keys);
        long mask = (1L << idxBits) - 1;
        List<G> out = new ArrayList<>(n);
        for (long k : keys) {
            out.add(l.get((int) (k & mask)));
        }
        return out;
    }

    public List<GoroutineInfo> goroutines() {
        long now = nanoTime();
        List<G> gs = allGs();
        if (gs.size() < PARALLEL_INFOS) {
            List<GoroutineInfo> out = new ArrayList<>(gs.size());
            for (G g : gs) {
                out.add(info(g, now));
            }
            return out;
        }
        // Walking an unmounted virtual thread's stack costs the JDK ~6 us; at 100k goroutines
        // that is most of a dump, and the walks are independent: use every core (the
        // ordered stream keeps the id order).
        return gs.parallelStream().map(g -> info(g, now)).toList();
    }

    /** From this many goroutines on, goroutines() walks the stacks in parallel. */
    private static final int PARALLEL_INFOS = 2_000;

    static GoroutineInfo info(G g, long now) {
        GoroutineState st = g.state();
        WaitReason wr = g.waitReason;
        Thread t = g.thread;
        StackTraceElement[] raw = t == null ? new StackTraceElement[0] : t.getStackTrace();
        if (st == GoroutineState.WAITING && wr == null) {
            wr = Dumps.inSocketIo(raw) ? WaitReason.IO_WAIT : WaitReason.EXTERNAL;
        }
        String reason = wr != null && st == GoroutineState.WAITING ? wr.toString() : switch (st) {
            case RUNNABLE -> "runnable";
            case RUNNING -> "running";
            case SYSCALL -> "syscall";
            case WAITING -> "waiting";
            case DEAD -> "dead";
        };
        Duration waiting = st == GoroutineState.WAITING && g.waitReason != null
                ? Duration.ofNanos(Math.max(0, now - g.waitSince)) : Duration.ZERO;
        return new GoroutineInfo(g.goid, g.name(), st, reason, waiting, Dumps.trim(raw));
    }

    public String dump() {
        return Dumps.format(goroutines(), this);
    }

    public SchedStats schedStats() {
        int procs = gomaxprocs;
        P[] all = allp;
        int[] local = new int[gmp ? Math.min(procs, all.length) : procs];
        long steals = 0;
        for (int i = 0; i < all.length; i++) {
            if (i < local.length) {
                local[i] = all[i].runq.size();
            }
            steals += all[i].steals;
        }
        if (!gmp) {
            return new SchedStats(procs, 0, 0, 0, 0, 0, local, allgs.added(), 0, 0);
        }
        return new SchedStats(procs, npidle.get(), mcount.get(), nmspinning.get(), nmidle,
                globrunq.sizeRacy(), local, allgs.added(), steals, handoffs.get());
    }

    /** Go's schedtrace line: {@code SCHED 1004ms: gomaxprocs=2 idleprocs=1 ...}. */
    public String schedtrace(long uptimeMillis) {
        SchedStats s = schedStats();
        StringBuilder sb = new StringBuilder("SCHED ").append(uptimeMillis).append("ms: gomaxprocs=")
                .append(s.maxProcs()).append(" idleprocs=").append(s.idleProcs())
                .append(" threads=").append(s.threads()).append(" spinningthreads=")
                .append(s.spinningThreads()).append(" idlethreads=").append(s.idleThreads())
                .append(" runqueue=").append(s.globalRunQueue()).append(" [");
        int[] l = s.localRunQueues();
        for (int i = 0; i < l.length; i++) {
            sb.append(i == 0 ? "" : " ").append(l[i]);
        }
        sb.append(']');
        long failed = newmFailures.get();
        long orphans = orphanWakeups.get();
        if (failed != 0 || orphans != 0) {                // not Go's: only when something went wrong
            sb.append(" newmfailed=").append(failed).append(" orphanwakeups=").append(orphans);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ main

    private volatile Throwable mainPanic;
    private volatile Thread mainWaiter;

    /** Go's main: runs {@code body} as the main goroutine and waits for it. */
    public void main(Task body) {
        mainWaiter = Thread.currentThread();
        G g;
        try {
            g = newproc("main", body);
        } catch (RuntimeException | Error e) {
            mainWaiter = null;
            throw e;
        }
        g.isMain = true;
        try {
            long lastCheck = System.nanoTime();
            while (g.status != G.G_DEAD && mainPanic == null) {
                LockSupport.parkNanos(this, 20_000_000L);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new dev.goloom.GoInterruptedException("goloom: main interrupted");
                }
                long now = System.nanoTime();
                if (now - lastCheck >= 50_000_000L && g.status != G.G_DEAD && mainPanic == null) {
                    lastCheck = now;
                    if (Deadlock.check(this)) {
                        throw new DeadlockError(dump());
                    }
                }
            }
        } finally {
            mainWaiter = null;
        }
        Throwable p = g.panic != null ? g.panic : mainPanic;
        mainPanic = null;
        if (p != null) {
            throw Panics.unchecked(p);
        }
    }

    /** The main goroutine ended, or another goroutine panicked: wake main's waiter. */
    void mainPanicked(Throwable t) {
        Thread w = mainWaiter;
        if (w != null) {
            if (t != null && mainPanic == null) {
                mainPanic = t;
            }
            LockSupport.unpark(w);
        }
    }

    // ------------------------------------------------------------------------------ close

    /** Stops accepting goroutines, waits for the live ones to end, then stops Ms and sysmon. */
    public void close() {
        closed = true;
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        // Until no goroutine but the caller is left: a go() that read `closed` just before it
        // was set registers after a snapshot, so one pass is not enough.
        for (boolean waited = true; waited; ) {
            waited = false;
            for (G g : allGs()) {
                Thread t = g.thread;
                if (t == null || t == me || !t.isAlive()) {
                    continue;
                }
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        // As ExecutorService.close(): interrupted while waiting, it interrupts
                        // every goroutine (shutdownNow) and keeps waiting; the flag is restored.
                        if (!interrupted) {
                            interrupted = true;
                            for (G x : allGs()) {
                                Thread xt = x.thread;
                                if (xt != null && xt != me) {
                                    xt.interrupt();
                                }
                            }
                        }
                    }
                }
                waited = true;
            }
        }
        if (interrupted) {
            me.interrupt();
        }
        if (gmp) {
            java.util.List<M> idle = new ArrayList<>();
            lock.lock();
            try {
                for (M m = midle; m != null; m = m.schedlink) {
                    idle.add(m);
                }
            } finally {
                lock.unlock();
            }
            idle.forEach(LockSupport::unpark);
            if (sysmon != null) {
                sysmon.shutdown();
            }
            SchedTimers.unregister(this);
        }
    }
}
