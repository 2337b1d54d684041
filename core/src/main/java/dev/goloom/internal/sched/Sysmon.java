package dev.goloom.internal.sched;

import dev.goloom.internal.trace.Trace;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * sysmon: a daemon platform thread that watches the Ps (Go's {@code sysmon} and {@code retake}).
 * It hands off a P whose M is stuck inside one goroutine — a CPU loop past 10 ms, or a call that
 * pins the carrier (file I/O on a FIFO, a native call, a blocked class initializer) past about
 * 100 us — to another M, so that the P's other goroutines and timers run; it ends a time slice
 * shared through runnext past 10 ms; it runs timers nobody else is running; it starts an M for
 * queued work that no M looks at (after a failed thread start); and it prints the schedtrace
 * line when asked.
 */
final class Sysmon extends Thread {
    /* Implementation notes
     *
     * Overview
     *   Every round (see "Period") it reads each live P's status and counters. A P whose `switches`
     *   counter has not moved since sysmon first saw it, while its state is P_RUNNING, has had one
     *   goroutine mounted all that time. If the P has other work (goroutines queued, a due timer,
     *   or the global queue with no idle P), sysmon takes it with a CAS P_RUNNING -> P_HANDOFF and
     *   hands it to another M (Sched.handoffp): after 10 ms for a running thread, after 100 us for
     *   one the kernel says is sleeping (/proc/self/task/<tid>/stat state S or D), which is the
     *   signature of a pinned blocking call. The stuck goroutine keeps running on its old M; when
     *   it parks, that M finds its P gone (M.exitsyscall).
     *   A GC pause stops every M and makes all look stuck: a round during which a GC ran makes
     *   no hand-off decisions.
     *
     * Period
     *   20 us while a round finds something to do or to watch (a P that has had one goroutine
     *   mounted since the last round while other work waits on it); after 50 quiet rounds the
     *   period doubles, up to 1 ms while any P runs and 10 ms when all are idle, and never
     *   sleeps past the earliest timer. Go backs off to 10 ms however busy the program is, as
     *   its syscalls announce themselves (entersyscall); a pinned carrier says nothing, and a
     *   1 ms period keeps its detection within a few ms. The first version stayed at 20 us
     *   whenever any P ran: sysmon then took 11-13% of a core through a channel ping-pong
     *   (ps -L), now under 2%. The /proc read behind "sleeping" is throttled per P as well
     *   (sleepingThrottled): a goroutine spawning 100,000 others kept sysmon reading it every
     *   round.
     *
     * Lineage
     *   golang/go src/runtime/proc.go sysmon, retake, handoffp (go1.19). Deviations: no
     *   preemption signal (the JDK cannot preempt a virtual thread). A goroutine on the CPU for
     *   10 ms is asked to yield (G.requestPreempt, Go's preemptone) and does at its next
     *   preemption point (Park.preemptPoint); if it has not within PREEMPT_GRACE_NS it keeps
     *   its thread and loses only its P. The kernel thread state replaces Go's _Psyscall.
     *
     * Ownership & memory ordering
     *   P.sysmonTick/sysmonSwitches/sliceWhen/switchWhen are sysmon's own. It reads P.status (volatile),
     *   P.schedtick/switches (opaque: a stale value delays a decision by one round, benign).
     *   The CAS on P.status is the only write it makes to a P it does not own; P.preempt is a
     *   volatile flag the owner clears.
     */
    static final long FORCE_HANDOFF_NS = 10_000_000L;   // Go's forcePreemptNS
    static final long BLOCKED_HANDOFF_NS = 100_000L;
    /** How long a CPU-bound goroutine asked to yield has before its P is handed off. */
    static final long PREEMPT_GRACE_NS = 1_000_000L;
    private static final long MIN_DELAY_NS = 20_000L;
    private static final long MAX_DELAY_NS = 10_000_000L;
    /** The longest period while a P runs a goroutine (see "Period" in the notes). */
    private static final long BUSY_MAX_DELAY_NS = 1_000_000L;
    /** The longest wait between two looks at whether a mounted goroutine's thread sleeps. */
    private static final long MAX_SLEEP_CHECK_GAP_NS = 2_000_000L;

    private final Sched sched;
    private volatile boolean stop;
    private boolean oomReported;
    /** set by retake when a P has had one goroutine mounted while other work waits (this round). */
    private boolean suspect;
    /** orphaned() held in the last round (orphanedWork acts when it holds twice in a row). */
    private boolean orphanSeen;
    /** sleeping()'s read buffer and the per-M /proc channels it opened (sysmon's own). */
    private final ByteBuffer statBuf = ByteBuffer.allocateDirect(1024);
    private final List<FileChannel> statFiles = new ArrayList<>();
    private final long schedtraceMs;
    private final long start = System.nanoTime();
    private long lastTrace;
    private long gcCount = -1;
    private final List<GarbageCollectorMXBean> gcs;

    Sysmon(Sched sched) {
        super(null, null, "goloom-sysmon", 256 * 1024, false);
        this.sched = sched;
        setDaemon(true);
        this.schedtraceMs = schedtraceSetting();
        List<GarbageCollectorMXBean> g;
        try {
            g = ManagementFactory.getGarbageCollectorMXBeans();
        } catch (Throwable t) {
            g = List.of();
        }
        this.gcs = g;
    }

    /** GODEBUG=schedtrace=N or -Dgoloom.schedtrace=N (milliseconds); 0 when off. */
    static long schedtraceSetting() {
        String v = System.getProperty("goloom.schedtrace");
        if (v == null) {
            String gd = System.getenv("GODEBUG");
            if (gd != null) {
                for (String kv : gd.split(",")) {
                    if (kv.trim().startsWith("schedtrace=")) {
                        v = kv.trim().substring("schedtrace=".length());
                    }
                }
            }
        }
        try {
            return v == null ? 0 : Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void shutdown() {
        stop = true;
        LockSupport.unpark(this);
    }

    @Override
    public void run() {
        long delay = MIN_DELAY_NS;
        int idle = 0;
        while (!stop) {
            if (idle == 0) {
                delay = MIN_DELAY_NS;
            } else if (idle > 50) {
                // a P that runs may be pinned next round: look every ms (not Go's 10) then
                delay = Math.min(delay * 2, busy() ? BUSY_MAX_DELAY_NS : MAX_DELAY_NS);
            }
            LockSupport.parkNanos(this, untilTimer(delay));
            long now = System.nanoTime();
            Sched.coarseNanos = now;
            boolean acted;
            suspect = false;
            try {
                acted = retake(now);
                acted |= timers(now);
                orphanedWork();
                schedtrace(now);
            } catch (Throwable t) {
                acted = false;
                reportFailure(t);             // never lets sysmon end (hand-offs, timers)
            }
            idle = acted || suspect ? 0 : idle + 1;
        }
        closeStatFiles();
    }

    /**
     * Queued goroutines that no M looks at: a P idle, no M spinning, and work in the global
     * queue or in an idle P's own queue. Whoever queues work wakes an M for it (wakep); this is
     * the net for when that failed, because no M could be made (Sched.newm: out of memory, or of
     * native threads). It starts one once memory allows. The condition must hold in two rounds
     * in a row: in a busy program it holds for an instant now and then (between a put on the
     * global queue and its wakep), and orphanWakeups should count only real orphans. Not an
     * action for the period.
     */
    private void orphanedWork() {
        if (!orphaned()) {
            orphanSeen = false;
        } else if (!orphanSeen) {
            orphanSeen = true;                       // look again next round
        } else {
            orphanSeen = false;
            sched.orphanWakeups.incrementAndGet();
            sched.wakep();
        }
    }

    private boolean orphaned() {
        if (sched.npidle.get() == 0 || sched.nmspinning.get() != 0
                || sched.mcount.get() >= Sched.MAX_THREADS) {
            return false;                // (at the thread limit newm would only complain again)
        }
        if (!sched.globrunq.isEmpty()) {
            return true;
        }
        for (P pp : sched.allp) {
            if (P.stateOf(pp.status()) == P.P_IDLE && !pp.runq.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Some P is running a goroutine. */
    private boolean busy() {
        return sched.npidle.get() < sched.gomaxprocs;
    }

    /**
     * The sleep before the next round: {@code delay}, but no later than the earliest timer (so
     * that a timer due on a P whose goroutine never lets go is seen when it falls due, not a
     * backed-off 10 ms later), and never below the minimum period.
     */
    private long untilTimer(long delay) {
        if (delay <= MIN_DELAY_NS) {
            return delay;
        }
        long wait = sched.earliestTimer() - System.nanoTime();
        return Math.max(MIN_DELAY_NS, Math.min(delay, wait));
    }

    /**
     * Prints a failure of one round; with the heap full (OutOfMemoryError) printing may fail
     * too, and that must not end sysmon: every later hand-off and timer check depends on it.
     */
    private void reportFailure(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            if (oomReported) {
                return;                   // once: a full heap fails every round until freed
            }
            oomReported = true;
        }
        try {
            System.err.println("goloom: sysmon: " + t);
        } catch (Throwable ignored) {
            // no memory even for the message: carry on, the next round may succeed
        }
    }

    /** Go's retake: returns true if it took a P or ended a slice. */
    private boolean retake(long now) {
        P[] all = sched.allp;
        int n = Math.min(sched.gomaxprocs, all.length);
        boolean acted = false;
        boolean gcChecked = false;
        for (int i = 0; i < n; i++) {
            P pp = all[i];
            long s = pp.status();
            int st = P.stateOf(s);
            if (st != P.P_RUNNING && st != P.P_SCHED) {
                pp.sliceWhen = now;
                pp.switchWhen = now;
                continue;
            }
            int tick = pp.schedtickOpaque();
            int sw = pp.switchesOpaque();
            if (tick != pp.sysmonTick) {
                pp.sysmonTick = tick;
                pp.sliceWhen = now;
            }
            if (sw != pp.sysmonSwitches) {
                pp.sysmonSwitches = sw;
                pp.switchWhen = now;
                pp.preemptAskedWhen = 0;
                pp.sleepCheckGap = 0;
                pp.sleepCheckWhen = 0;
            }
            if (now - pp.sliceWhen > FORCE_HANDOFF_NS && !pp.preempt) {
                pp.preempt = true; // the time slice is over: the next runnext does not inherit it
                pp.sliceWhen = now;
                acted = true;
            }
            long ran = now - pp.switchWhen; // how long one goroutine has been mounted
            if (st != P.P_RUNNING || ran == 0 || !otherWork(pp, now)) {
                continue;
            }
            suspect = true;                 // one goroutine mounted while work waits: look soon
            if (ran <= BLOCKED_HANDOFF_NS) {
                continue;
            }
            if (!gcChecked) {
                gcChecked = true;
                if (gcRan()) {
                    return acted; // a GC pause looks exactly like stuck Ms (and costs no probe)
                }
            }
            M m = sched.ownerM(pp, s);
            boolean stuck = ran > FORCE_HANDOFF_NS || (m != null && sleepingThrottled(pp, m, now));
            if (!stuck) {
                continue;
            }
            if (m == null) {
                continue; // the owner is changing hands: look again next round
            }
            if (ran > FORCE_HANDOFF_NS && !sleeping(m)) {
                // A goroutine running on the CPU for 10 ms: first ask it to yield at its next
                // preemption point (Go's preemptone; the JDK cannot interrupt it), and hand off
                // its P only if it has not yielded within the grace period (a CPU loop that
                // never calls into goloom).
                if (pp.preemptAskedWhen == 0) {
                    G g = m.curg;
                    if (g != null) {
                        g.requestPreempt();
                    }
                    pp.preemptAskedWhen = now;
                    sched.preemptRequests.incrementAndGet();
                    acted = true;
                    continue;
                }
                if (now - pp.preemptAskedWhen < PREEMPT_GRACE_NS) {
                    continue;
                }
            }
            // Mark the M before the CAS: the M learns of the hand-off only by failing its own CAS,
            // which can happen only after ours succeeds, so it always finds syscall set (and
            // decrements nmsys exactly once in exitsyscall).
            m.syscall = true;
            sched.nmsys.incrementAndGet();
            if (!pp.casStatus(s, P.pack(0, P.P_HANDOFF))) {
                m.syscall = false;
                sched.nmsys.decrementAndGet();
            } else {
                if (m.inTimers) {
                    pp.skipTimers = true;
                }
                G g = m.curg;
                if (g != null) {
                    // Go's exitsyscall finds no P and queues the goroutine: ours may run on
                    // without one (the JDK cannot stop it), so ask it to yield at its next
                    // preemption point; it then queues and its M gives up (M.exitsyscall).
                    // Without this a goroutine handed off once, say for a page fault read as
                    // "sleeping", spawned 800,000 goroutines off any P, never asked again.
                    g.requestPreempt();
                }
                if (Trace.on) {
                    Trace.emit(Trace.HANDOFF, pp.id, g == null ? 0 : g.goid, m.id);
                }
                pp.m = null;
                sched.handoffs.incrementAndGet();
                pp.switchWhen = now;
                sched.handoffp(pp);
                acted = true;
            }
        }
        return acted;
    }

    private boolean otherWork(P pp, long now) {
        return pp.hasWork(now) || (!sched.globrunq.isEmpty() && sched.npidle.get() == 0);
    }

    /**
     * Timers overdue by more than a millisecond that no M is running: wake an M to run them.
     * sysmon never runs a callback itself: one that blocked would stop every hand-off.
     */
    private boolean timers(long now) {
        long next = sched.earliestTimer();
        if (next > now - 1_000_000L || sched.npidle.get() == 0) {
            return false; // not overdue, or every P has an M that checks timers each round
        }
        sched.timerAdded(next);          // wakes (or appoints) the timer waiter
        if (sched.nmspinning.get() == 0) {
            sched.wakep();               // and, if no M is looking for work, a spinner
        }
        return true;
    }

    /**
     * {@link #sleeping(M)}, not asked while the P's run queue grows (the mounted goroutine is
     * queueing others, so it runs), and at most once per {@code pp.sleepCheckGap}: a goroutine the
     * kernel found running is probably computing, so the next look waits twice as long as the
     * last (100 us, 200 us, ... up to MAX_SLEEP_CHECK_GAP_NS); a switch on the P starts over. A
     * look reads a /proc file (some 10-20 us of sysmon's time, on a machine whose cores the
     * goroutines need): unthrottled, a goroutine spawning 100,000 others paid for 1,500 of them.
     */
    private boolean sleepingThrottled(P pp, M m, long now) {
        int tail = pp.runq.tailOpaque();
        if (tail != pp.sysmonTail) {
            pp.sysmonTail = tail;              // it queued goroutines since the last round: busy
            return false;                      // in goloom code (a fan-out), not pinned
        }
        if (now - pp.sleepCheckWhen < 0) {
            return false;
        }
        if (sleeping(m)) {
            return true;
        }
        long gap = pp.sleepCheckGap == 0
                ? BLOCKED_HANDOFF_NS : Math.min(pp.sleepCheckGap * 2, MAX_SLEEP_CHECK_GAP_NS);
        pp.sleepCheckGap = gap;
        pp.sleepCheckWhen = now + gap;
        return false;
    }

    /**
     * The kernel's view of m's thread: S (sleeping) or D (disk sleep) means blocked. Reads
     * /proc/self/task/<tid>/stat through a channel kept open per M (a pread at offset 0, which
     * makes the kernel write the line anew: 3-4 us, where opening the file each time cost
     * 13-20 us); sysmon closes the channels when it stops.
     */
    private boolean sleeping(M m) {
        long tid = m.tid;
        if (tid <= 0) {
            return false;
        }
        try {
            FileChannel ch = m.statFile;
            if (ch == null) {
                ch = FileChannel.open(Path.of("/proc/self/task/" + tid + "/stat"), StandardOpenOption.READ);
                m.statFile = ch;
                statFiles.add(ch);
            }
            ByteBuffer b = statBuf;
            b.clear();
            int n = ch.read(b, 0);
            // "tid (comm) S ...": the state follows the last ')'
            for (int i = n - 1; i > 0; i--) {
                if (b.get(i) == ')') {
                    byte st = i + 2 < n ? b.get(i + 2) : 0;
                    return st == 'S' || st == 'D';
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Closes the /proc channels sleeping() opened (sysmon's last act). */
    private void closeStatFiles() {
        for (FileChannel ch : statFiles) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // a /proc file: nothing to lose
            }
        }
        statFiles.clear();
    }

    private boolean gcRan() {
        long c = 0;
        for (GarbageCollectorMXBean g : gcs) {
            long k = g.getCollectionCount();
            if (k > 0) {
                c += k;
            }
        }
        boolean ran = gcCount >= 0 && c != gcCount;
        gcCount = c;
        return ran;
    }

    private void schedtrace(long now) {
        if (schedtraceMs <= 0) {
            return;
        }
        long ms = (now - start) / 1_000_000L;
        if (ms - lastTrace >= schedtraceMs) {
            lastTrace = ms;
            System.err.println(sched.schedtrace(ms));
        }
    }
}
