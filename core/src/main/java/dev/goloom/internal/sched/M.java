package dev.goloom.internal.sched;

import dev.goloom.internal.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * An M: a carrier thread of the GMP scheduler. It holds a P, finds a runnable goroutine (Go's
 * {@code schedule} and {@code findRunnable}), runs it until it parks, yields or ends, and
 * repeats; with nothing to do it releases its P and parks ({@code stopm}).
 */
final class M extends Thread {
    /* Implementation notes
     *
     * Overview
     *   The scheduling loop, in Go's order (DESIGN.md section 2):
     *     pass 1  due timers of this P (checkTimers)
     *     pass 2  every 61st time slice, one goroutine from the global queue (fairness)
     *     pass 3  runnext, then the local queue (runnext inherits the time slice unless sysmon
     *             marked the slice as over: then it goes to the global queue instead)
     *     pass 4  the global queue, a fair batch
     *     pass 5  steal: 4 rounds over the other Ps in random order, half a victim's queue; the
     *             last round also runs their due timers and takes a victim's runnext
     *     pass 6  nothing: release the P, re-check every queue (the "delicate dance" with
     *             spinning Ms), then park until handed a P or until the earliest timer.
     *   At most half of the busy Ps have a spinning M (Sched.wakep / pass 5 guard).
     *
     * Lineage
     *   golang/go src/runtime/proc.go schedule, findrunnable (go1.19 findRunnable), stealWork,
     *   execute, stopm, resetspinning. Deviations: no netpoller (the JDK's poller readies
     *   goroutines through Sched.ready); preemption is cooperative (sysmon asks, the goroutine
     *   yields at its next preemption point, Park.preemptPoint) and otherwise a hand-off of the
     *   P by sysmon, since the JDK cannot preempt a mounted virtual thread. An M survives an
     *   OutOfMemoryError thrown out of a continuation (it would otherwise take its P with it).
     *
     * Invariants
     *   I1 p != null while the M runs scheduler code or a goroutine, except after losing its P to
     *      a hand-off (then p is cleared as soon as the goroutine returns).
     *   I2 spinning == true is counted in Sched.nmspinning exactly once.
     *   I3 an M is on the idle list only inside stopm.
     *
     * Ownership & memory ordering
     *   p, spinning, inherit, traceTs: this thread only (and, for p, the goroutine
     *     mounted on it, which runs on this same thread).
     *   nextp: written by the waker under the scheduler lock before LockSupport.unpark (which
     *     orders it: unpark happens-before the park returns); read by this thread.
     *   curg, syscall: volatile, read by dumps and sysmon.
     */
    final int id;
    final Sched sched;
    P p;
    volatile P nextp;
    boolean spinning;
    /** the time of the last GoBlock/GoSched this M emitted, for the next GoStart (0: read the clock). */
    private long traceTs;
    volatile G curg;
    /** sysmon took this M's P while it was inside curg (Go's _Gsyscall). */
    volatile boolean syscall;
    /** the idle-M list link (scheduler lock). */
    M schedlink;
    /** inside timer callbacks (runTimers): sysmon reads it when it hands the P off. */
    volatile boolean inTimers;
    /** the native thread id, for sysmon's /proc look-up (-1: unknown). */
    volatile long tid = -1;
    /** this M's batch of goroutine ids, [goidNext, goidEnd) (Sched.newGoid; the M's own). */
    long goidNext, goidEnd;
    /** sysmon's open /proc/self/task/<tid>/stat of this M (sysmon's own; it closes it). */
    java.nio.channels.FileChannel statFile;
    private final boolean[] inherit = new boolean[1];
    private int steal_seed = ThreadLocalRandom.current().nextInt();

    M(Sched sched, int id) {
        super(null, null, "goloom-m" + id, 256 * 1024, false);
        this.sched = sched;
        this.id = id;
        setDaemon(true);
    }

    @Override
    public void run() {
        tid = readTid();
        try {
            P pp = nextp;
            if (pp != null) {
                nextp = null;
                acquirep(pp);
            }
            while (!sched.mExit(this)) {
                try {
                    schedule();
                } catch (OutOfMemoryError oom) {
                    // The heap is full (the JDK may fail to thaw a continuation's stack). An M
                    // that died would take its P with it: carry on, as the goroutines do.
                }
            }
        } catch (Throwable t) {
            try {
                System.err.println("goloom: fatal error in scheduler thread " + getName() + ": " + t);
                t.printStackTrace();
            } catch (Throwable ignored) {
                // nothing more can be said without memory
            }
        } finally {
            sched.mExited(this);
        }
    }

    private static long readTid() {
        try {
            // /proc/thread-self -> "<pid>/task/<tid>"
            String s = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(s.substring(s.lastIndexOf('/') + 1));
        } catch (Exception | Error e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------ P ownership

    void acquirep(P pp) {
        pp.setStatus(P.pack(id, P.P_SCHED));
        pp.m = this;
        p = pp;
        if (Trace.on) {
            Trace.emit(Trace.PROC_START, pp.id, 0, id);
        }
    }

    /** Clears this M's P (the caller puts it on the idle list or kills it). */
    P releasep() {
        P pp = p;
        p = null;
        pp.m = null;
        if (Trace.on) {
            Trace.emit(Trace.PROC_STOP, pp.id, 0, id);
        }
        return pp;
    }

    // ------------------------------------------------------------------------------ schedule

    /** One round: find a goroutine and run it (Go's schedule). */
    private void schedule() {
        P pp = p;
        if (pp == null) {
            stopm(Long.MAX_VALUE);
            return;
        }
        if (pp.id >= sched.gomaxprocs) {
            sched.retireP(this, pp);
            return;
        }
        G gp = null;
        boolean inh = false;
        // pass 1: due timers of this P
        if (!checkTimers(pp)) {
            return; // a callback blocked and the P was handed off
        }
        // pass 2: fairness: the global queue every 61st slice
        if (pp.schedtick % 61 == 0 && !sched.globrunq.isEmpty()) {
            gp = sched.globrunq.get(pp, sched.gomaxprocs, 1);
        }
        // pass 3: runnext, then the local queue
        long startTs = 0;
        if (gp == null) {
            gp = pp.runq.get(inherit);
            inh = inherit[0];
            startTs = traceTs; // straight from our own queue: GoStart may share the stop's time
            if (gp != null && inh && pp.preempt) {
                // the shared time slice ran past 10 ms: the woken goroutine waits its turn
                pp.preempt = false;
                sched.globrunq.put(gp);
                gp = pp.runq.getRing();
                inh = false;
            }
        }
        // passes 4-6
        if (gp == null) {
            gp = findRunnable();
            if (gp == null) {
                // No P any more (it was handed off while we ran timers) or exiting. A spinning M
                // must stop counting as one before it parks (keeps I2): otherwise every ready()
                // would believe someone is looking for work and never call wakep.
                if (spinning) {
                    resetspinning();
                }
                return;
            }
            inh = false;
        }
        if (spinning) {
            resetspinning();
        }
        traceTs = 0;
        execute(gp, inh, startTs);
    }

    /** Runs gp on this M until it parks, yields or ends (Go's execute + the return path). */
    private void execute(G gp, boolean inheritTime, long startTs) {
        P pp = p;
        if (!inheritTime) {
            pp.schedtick++;
            pp.preempt = false;
        }
        pp.switches++;
        if (pp.skipTimers) {
            pp.skipTimers = false;
        }
        if (!gp.foreign) {
            gp.clearQueued(); // keeps G.I2: a wake-up from now on queues it again
        }
        gp.m = this;
        gp.status = G.G_RUNNING;
        gp.takePreempt();  // a request for an earlier mount is void (Go clears gp.preempt too)
        curg = gp;
        if (Trace.on && !gp.foreign) {
            Trace.emitAt(Trace.GO_START, pp.id, gp.goid, 0, startTs);
        }
        long running = P.pack(id, P.P_RUNNING);
        pp.setStatus(running); // from here on sysmon may hand pp to another M
        try {
            gp.runCont();
        } catch (OutOfMemoryError oom) {
            // printing would need memory too; see run()
        } catch (Throwable t) {
            try {
                System.err.println("goloom: continuation of " + gp + " failed: " + t);
                t.printStackTrace();
            } catch (OutOfMemoryError ignored) {
                // as above
            }
        }
        curg = null;
        if (Trace.on && !gp.foreign && gp.status != G.G_DEAD) {
            traceTs = traceStop(pp, gp);
        }
        if (!pp.casStatus(running, P.pack(id, P.P_SCHED))) {
            exitsyscall();
        }
    }

    /** The goroutine left the M without ending: it parked (GO_BLOCK) or was readied (GO_SCHED). */
    private static long traceStop(P pp, G gp) {
        if (gp.queuedVolatile()) {
            return Trace.emitAt(Trace.GO_SCHED, pp.id, gp.goid, 0, 0);
        }
        WaitReason r = gp.waitReason;
        return Trace.emitAt(Trace.GO_BLOCK, pp.id, gp.goid, r == null ? -1 : r.ordinal(), 0);
    }

    /**
     * Our P was handed off while the goroutine was stuck (Go's exitsyscall): take an idle P if
     * there is one, else the next schedule() round parks this M.
     */
    private void exitsyscall() {
        if (syscall) {
            syscall = false;
            sched.nmsys.decrementAndGet();
        }
        p = null;
        P pp = sched.pidlegetLocked();
        if (pp != null) {
            acquirep(pp);
        }
    }

    /** A timer of t is due; reads the clock only if t has a timer at all (Go's checkTimers). */
    private static boolean due(TimerQueue t) {
        if (t == null) {
            return false;
        }
        long w = t.nextWhen();
        return w != Long.MAX_VALUE && w <= System.nanoTime();
    }

    /** Runs pp's due timers, if any. Returns false if this M lost its P meanwhile. */
    private boolean checkTimers(P pp) {
        if (pp.skipTimers) {
            return true; // a callback blocked on this P: run a goroutine first (P.skipTimers)
        }
        TimerQueue t = pp.timers;
        if (due(t)) {
            return runTimers(t);
        }
        return true;
    }

    /**
     * Runs the due timers of {@code t} (this P's or another's) as if they were a goroutine: the
     * P is marked P_RUNNING meanwhile, so that a callback that blocks (it must not, but a user's
     * afterFunc or a lock a parked goroutine holds can make it) is handed off by sysmon like any
     * stuck goroutine instead of wedging the P. Returns false if the P was handed off.
     */
    private boolean runTimers(TimerQueue t) {
        traceTs = 0;                   // timer events come between: the next GoStart reads the clock
        if (spinning) {
            // An M running callbacks is not looking for work: if one blocks, it must not be
            // counted in nmspinning, or every ready() would wait for it to find the work (I2).
            resetspinning();
        }
        P pp = p;
        long running = P.pack(id, P.P_RUNNING);
        pp.switches++;                 // a new "mount" for sysmon's clock
        pp.setStatus(running);
        inTimers = true;
        try {
            t.runExpired(System.nanoTime());
        } catch (Throwable e) {
            System.err.println("goloom: timer callback failed: " + e);
        } finally {
            inTimers = false;
        }
        if (!pp.casStatus(running, P.pack(id, P.P_SCHED))) {
            exitsyscall();
            return false;
        }
        return true;
    }

    /** Runs the due timers of every P, dead ones included (the timer waiter's job). */
    private boolean runAllTimers() {
        P[] all = sched.allp;
        for (P p2 : all) {
            TimerQueue t = p2.timers;
            if (due(t) && !runTimers(t)) {
                return false;
            }
        }
        return true;
    }

    /** Go's resetspinning: stop spinning; if we were the last spinner, wake another. */
    private void resetspinning() {
        spinning = false;
        int n = sched.nmspinning.decrementAndGet();
        if (n == 0 && sched.npidle.get() > 0) {
            sched.wakep();
        }
    }

    /**
     * Passes 4-6: blocks until it finds a runnable goroutine. Returns null only when the M lost
     * its P and should go round again (then it parks in stopm).
     */
    private G findRunnable() {
        while (true) {
            P pp = p;
            if (pp == null || !checkTimers(pp)) {
                return null;
            }
            G gp = pp.runq.get(inherit);
            if (gp != null) {
                return gp;
            }
            // pass 4: the global queue
            if (!sched.globrunq.isEmpty()) {
                gp = sched.globrunq.get(pp, sched.gomaxprocs, 0);
                if (gp != null) {
                    return gp;
                }
            }
            // pass 5: steal, if not too many are spinning already
            int procs = sched.gomaxprocs;
            if (spinning || 2 * sched.nmspinning.get() < procs - sched.npidle.get()) {
                if (!spinning) {
                    spinning = true;
                    sched.nmspinning.incrementAndGet();
                }
                gp = stealWork(pp);
                if (gp != null) {
                    return gp;
                }
                if (p != pp) {
                    return null; // lost the P while running another P's timers
                }
                if (!pp.runq.isEmpty()) {
                    continue; // a stolen timer readied something into our queue
                }
            }
            // pass 6: give up the P
            if (sched.mExit(this)) {
                return null;
            }
            sched.lock.lock();
            try {
                if (!sched.globrunq.isEmpty()) {
                    gp = sched.globrunq.get(pp, sched.gomaxprocs, 0);
                    if (gp != null) {
                        return gp;
                    }
                }
                if (!pp.runq.isEmpty()) {
                    continue;
                }
                releasep();
                sched.pidleput(pp);
            } finally {
                sched.lock.unlock();
            }
            boolean wasSpinning = spinning;
            if (spinning) {
                // Delicate dance: drop spinning *before* the re-check, so that a goroutine
                // readied after the re-check sees nmspinning == 0 and calls wakep itself.
                spinning = false;
                sched.nmspinning.decrementAndGet();
            }
            P again = recheckQueues();
            if (again != null) {
                acquirep(again);
                if (wasSpinning) {
                    spinning = true;
                    sched.nmspinning.incrementAndGet();
                }
                continue;
            }
            stopm(sched.earliestTimer());
            // stopm returns with a P (handed over, or taken to run timers)
        }
    }

    /** After releasing the P: is there work we would miss? Then take an idle P back. */
    private P recheckQueues() {
        P[] all = sched.allp;
        int n = Math.min(sched.gomaxprocs, all.length);
        boolean work = !sched.globrunq.isEmpty();
        for (int i = 0; i < n && !work; i++) {
            if (!all[i].runq.isEmpty()) {
                work = true;
            }
        }
        return work ? sched.pidlegetLocked() : null;
    }

    /** Pass 5: steal half of some other P's queue; the last round also runs their timers. */
    private G stealWork(P pp) {
        P[] all = sched.allp;
        int n = Math.min(sched.gomaxprocs, all.length);
        if (n <= 1) {
            return null;
        }
        final int stealTries = 4;
        for (int round = 0; round < stealTries; round++) {
            boolean last = round == stealTries - 1;
            int start = nextRandom() % n;
            for (int k = 0; k < n; k++) {
                P p2 = all[(start + k) % n];
                if (p2 == pp) {
                    continue;
                }
                if (last) {
                    TimerQueue t = p2.timers;
                    if (due(t)) {
                        if (!runTimers(t)) {
                            return null;
                        }
                        G gp = pp.runq.get(inherit);
                        if (gp != null) {
                            return gp;
                        }
                    }
                }
                boolean takeNext = last;
                if (last && P.stateOf(p2.status()) == P.P_RUNNING && p2.runq.size() == 1) {
                    // Go sleeps 3 us before taking a running P's runnext: it is usually about to
                    // run it itself, and taking it costs a cross-core wake-up. The sleep is
                    // really tens of microseconds (timer slack), long enough for a ping-pong
                    // pair to switch a hundred times and leave a NEW runnext: take runnext only
                    // if the victim has not switched goroutines meanwhile (it is stuck in one),
                    // else a busy pair is split across cores every sleep.
                    int sw = p2.switchesOpaque();
                    Thread.onSpinWait();
                    LockSupport.parkNanos(3_000);
                    takeNext = p2.switchesOpaque() == sw;
                }
                G gp = pp.runq.steal(p2.runq, takeNext);
                if (gp != null) {
                    pp.steals++;
                    if (Trace.on) {
                        Trace.emit(Trace.STEAL, pp.id, p2.id, 1);
                    }
                    return gp;
                }
            }
        }
        return null;
    }

    private int nextRandom() {
        int x = steal_seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        steal_seed = x;
        return x & Integer.MAX_VALUE;
    }

    // ------------------------------------------------------------------------------ stopm

    /**
     * Parks this M (no P) until a waker hands it a P through nextp, or, when it is the timer
     * waiter, until {@code until} (the earliest timer), when it takes an idle P to run timers.
     */
    private void stopm(long until) {
        if (spinning) {   // never park while counted in nmspinning (I2)
            resetspinning();
        }
        sched.mput(this, until);
        try {
            while (true) {
                P pp = nextp;
                if (pp != null) {
                    nextp = null;
                    acquirep(pp);
                    return;
                }
                if (sched.mExit(this)) {
                    return;
                }
                long deadline = sched.timerDeadlineFor(this);
                if (deadline == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long wait = deadline - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                    if (nextp == null && System.nanoTime() >= deadline) {
                        P tp = sched.takeIdlePForTimers(this);
                        if (tp != null) {
                            acquirep(tp);
                            spinning = true; // counted by takeIdlePForTimers (I2)
                            runAllTimers();  // runTimers drops spinning itself (I2); a lost P
                            return;          // leaves p null or another P: the caller sees it
                        }
                    }
                }
            }
        } finally {
            sched.mparkDone(this);
        }
    }

    @Override
    public String toString() {
        return "M" + id + (p != null ? "/P" + p.id : "");
    }
}
