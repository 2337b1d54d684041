package dev.goloom.internal.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A P: a processor, the right to run goroutines. Exactly GOMAXPROCS of them are live; each has
 * its local run queue with the runnext slot, its timer heap, and its counters. Go's {@code p}.
 */
final class P {
    /* Implementation notes
     *
     * Overview
     *   A P is owned by at most one M at a time. Its status word packs the owner M's id with a
     *   state, so that an M that lost its P to a hand-off can tell (its CAS fails) even when the P
     *   was meanwhile given to another M.
     *
     * States (status & 0xff), with the owner id in the upper 32 bits:
     *   P_IDLE     on the idle list, no owner
     *   P_SCHED    its M runs scheduler code (findRunnable, timers, ready())
     *   P_RUNNING  its M is inside a goroutine; only now may sysmon take the P (hand-off)
     *   P_HANDOFF  sysmon took it and is giving it to another M (transient, no owner)
     *   P_DEAD     beyond GOMAXPROCS after maxProcs(n) shrank
     *   Transitions: IDLE -> SCHED (acquirep)  SCHED <-> RUNNING (owner, around a goroutine)
     *   RUNNING -> HANDOFF (sysmon CAS) -> SCHED (new owner) or IDLE  SCHED -> IDLE (releasep)
     *   SCHED -> DEAD (owner, when the P is beyond GOMAXPROCS)  DEAD -> IDLE (maxProcs grew)
     *
     * Invariants
     *   I1 the run queue's owner side is used only by the M whose id is in status, while the
     *      state is P_SCHED, or P_RUNNING after a successful CAS to P_SCHED (Sched.ready).
     *   I2 a P is on the idle list iff its state is P_IDLE.
     *
     * Ownership & memory ordering
     *   status: volatile; CAS by the owner M (RUNNING -> SCHED) and by sysmon (RUNNING ->
     *     HANDOFF): exactly one wins. The owner's volatile store of P_RUNNING before it mounts a
     *     goroutine publishes its scheduler state to the next owner should sysmon hand it off.
     *   schedtick, switches: written by the owner only (plain), read by sysmon (opaque): a stale
     *     read only delays a hand-off by one sysmon round (benign).
     *   preempt: set by sysmon, cleared by the owner (volatile).
     *   sysmonTick/sysmonSwitches/sliceWhen/switchWhen/sleepCheck*: sysmon's own (plain).
     *   link: guarded by the scheduler lock (idle list).
     */
    static final int P_IDLE = 0, P_SCHED = 1, P_RUNNING = 2, P_HANDOFF = 3, P_DEAD = 4;

    final int id;
    final Sched sched;
    final RunQueue<G> runq = new RunQueue<>();

    @SuppressWarnings("unused") private volatile long status;
    /** scheduling rounds that started a new time slice (not inheriting one). */
    int schedtick;
    /** goroutines mounted (every execute). */
    int switches;
    /** set by sysmon when a time slice ran past 10 ms: the next runnext does not inherit it. */
    volatile boolean preempt;
    /**
     * Set by sysmon when it hands this P off from an M stuck inside a timer callback: the next
     * owner runs a goroutine before it runs this P's timers again, so that the goroutine the
     * callback waits for (it may be queued here) is not starved by a new M blocking the same way.
     */
    volatile boolean skipTimers;
    /** the idle list link (scheduler lock). */
    P link;
    /** the M that owns this P (informational: dumps and sysmon; status is the truth). */
    volatile M m;
    /** this P's timers (null until the time package installs its heaps). */
    volatile TimerQueue timers;

    // sysmon's private view
    int sysmonTick;
    int sysmonSwitches;
    long sliceWhen;
    /** when sysmon asked the mounted goroutine to yield (0: not asked this mount); sysmon's own. */
    long preemptAskedWhen;
    long switchWhen;
    /** when sysmon may next read the mounted goroutine's kernel thread state, and the gap it waits. */
    long sleepCheckWhen;
    long sleepCheckGap;
    /** the run queue's tail when sysmon last looked (a mounted goroutine that queues others). */
    int sysmonTail;

    // counters (owner writes, racy reads for stats)
    long steals;

    private static final VarHandle STATUS, SCHEDTICK, SWITCHES;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATUS = l.findVarHandle(P.class, "status", long.class);
            SCHEDTICK = l.findVarHandle(P.class, "schedtick", int.class);
            SWITCHES = l.findVarHandle(P.class, "switches", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    P(Sched sched, int id) {
        this.sched = sched;
        this.id = id;
    }

    static long pack(int mid, int state) {
        return ((long) mid << 32) | state;
    }

    static int stateOf(long s) {
        return (int) (s & 0xff);
    }

    static int ownerOf(long s) {
        return (int) (s >>> 32);
    }

    long status() {
        return (long) STATUS.getVolatile(this);
    }

    void setStatus(long s) {
        STATUS.setVolatile(this, s);
    }

    boolean casStatus(long expect, long update) {
        return STATUS.compareAndSet(this, expect, update);
    }

    int schedtickOpaque() {
        return (int) SCHEDTICK.getOpaque(this);
    }

    int switchesOpaque() {
        return (int) SWITCHES.getOpaque(this);
    }

    /** Owner only: puts g in the local queue (runnext if {@code next}); overflow goes global. */
    void runqput(G g, boolean next) {
        Object[] overflow = runq.put(g, next);
        if (overflow != null) {
            sched.globrunq.putBatch(overflow);
        }
    }

    /** True when this P has goroutines queued or a timer due by {@code now}. */
    boolean hasWork(long now) {
        if (!runq.isEmpty()) {
            return true;
        }
        TimerQueue t = timers;
        return t != null && t.nextWhen() <= now;
    }

    @Override
    public String toString() {
        return "P" + id;
    }
}
