package dev.goloom.internal.sched;

import dev.goloom.GoInterruptedException;
import java.util.concurrent.locks.LockSupport;

/**
 * The park/ready protocol every goloom primitive blocks with: Go's {@code gopark} and
 * {@code goready}. Channels, select, the sync package and timers use only this class (and
 * {@link G#current()}) to block and wake, so they work from goroutines and plain threads alike.
 *
 * <p>A goroutine parks with {@link LockSupport#park}: the JDK unmounts its virtual thread and
 * frees the carrier; {@link #ready(Thread)} ({@link LockSupport#unpark}) makes the JDK call the
 * goroutine's scheduler, which (on one of our carriers) puts it in the waker's {@code runnext}.
 * Parks may return spuriously: callers loop on their own condition, as with LockSupport.
 *
 * <h2>Wait reasons</h2>
 * {@link #park(Object, WaitReason)} records Go's wait reason on the goroutine for the time of
 * the park, so dumps say {@code [chan receive]} and deadlock detection knows the goroutine can
 * only be woken by another goroutine.
 */
public final class Park {
    /* Implementation notes
     *
     * Overview
     *   gopark is LockSupport.park on the calling thread: on a goroutine's virtual thread the JDK
     *   unmounts it and frees the M; goready is LockSupport.unpark, after which the JDK calls the
     *   goroutine's scheduler (G.execute -> Sched.ready). The wait reason is recorded on the g
     *   for the time of the park only.
     *
     * Lineage
     *   golang/go src/runtime/proc.go gopark/goready. Deviation: no unlockf callback — callers
     *   publish their wait state (a sudog, a queue node) before parking and loop on it after,
     *   which the permit semantics of park/unpark make race-free (an unpark before the park
     *   makes the park return at once).
     *
     * Invariants
     *   I1 g.waitReason is non-null only between beginWait and the end of the park (or endWait).
     *   I2 g.waitSince is the coarse time at which the current reason was first set; re-parking
     *      with the same reason (a spurious wake-up) keeps it, so dumps show the whole wait.
     *
     * Memory ordering
     *   waitReason/waitSince/blocker are volatile fields of the g, written by the goroutine
     *   itself and read racily by dumps and deadlock detection (benign: a snapshot). The
     *   park/unpark pair itself orders the waker's writes before the parked thread's reads
     *   (LockSupport: unpark happens-before the return of the park it ends).
     */
    private Park() {
    }

    /**
     * Parks the calling thread until {@link #ready(Thread)}, an interrupt, or spuriously,
     * recording {@code why} on the calling goroutine meanwhile.
     */
    public static void park(Object blocker, WaitReason why) {
        G g = G.current();
        if (g == null) {
            LockSupport.park(blocker);
            return;
        }
        beginWait(g, why);
        g.blocker = blocker;
        try {
            LockSupport.park(blocker);
        } finally {
            g.waitReason = null;
            g.blocker = null;
        }
    }

    /** As {@link #park(Object, WaitReason)}, for at most {@code nanos}. */
    public static void parkNanos(Object blocker, WaitReason why, long nanos) {
        G g = G.current();
        if (g == null) {
            LockSupport.parkNanos(blocker, nanos);
            return;
        }
        beginWait(g, why);
        g.blocker = blocker;
        try {
            LockSupport.parkNanos(blocker, nanos);
        } finally {
            g.waitReason = null;
            g.blocker = null;
        }
    }

    /**
     * Records that the calling goroutine (if any) is about to wait for {@code why}, for a wait
     * the caller performs itself (an AQS acquire, say). Pair with {@link #endWait()}.
     */
    public static void beginWait(WaitReason why) {
        G g = G.current();
        if (g != null) {
            beginWait(g, why);
        }
    }

    /** Ends a wait begun with {@link #beginWait(WaitReason)}. */
    public static void endWait() {
        G g = G.current();
        if (g != null) {
            g.waitReason = null;
        }
    }

    private static void beginWait(G g, WaitReason why) {
        if (g.waitReason != why) {
            g.waitSince = Sched.nanoTime();
            g.waitReason = why;
        }
    }

    /** Wakes a thread parked in {@link #park}: Go's {@code goready}. */
    public static void ready(Thread t) {
        LockSupport.unpark(t);
    }

    /**
     * A preemption point (Go's check of gp.preempt in a function prologue): if sysmon asked the
     * calling goroutine to yield because it has held its P for more than 10 ms, it yields now, to
     * the back of the global queue (Go's gopreempt_m). Called by primitives after they readied
     * another goroutine, with no lock held. Without it, a goroutine that readies goroutines in a
     * long loop (cancelling a large context tree, closing many channels, a fan-out of go())
     * would only lose its P to a hand-off, leaving more runnable threads than cores.
     */
    public static void preemptPoint() {
        G g = G.current();
        if (g != null && g.takePreempt()) {
            Sched.gosched();
        }
    }

    /** Go's active_spin: spin rounds a lock may try before it queues. */
    public static final int ACTIVE_SPIN = 4;
    private static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;

    /**
     * Go's {@code sync_runtime_canSpin}: may a lock about to block spin for round {@code i}?
     * Spinning pays only on a multicore machine, for a few rounds, while another P is running
     * (the holder may be running there and about to let go) and nothing waits in the caller's
     * local run queue (a goroutine waiting there would rather have the P than see it spin).
     * Plain threads and goroutines on the JDK's scheduler spin the rounds unconditionally.
     */
    public static boolean canSpin(int i) {
        if (i >= ACTIVE_SPIN || !MULTICORE) {
            return false;
        }
        M m = Sched.currentMAny();
        if (m == null || Thread.currentThread() == m) {
            return true;                           // a plain thread (or an M itself)
        }
        Sched s = m.sched;
        if (s.maxProcs() <= s.npidle.get() + s.nmspinning.get() + 1) {
            return false;                          // no other P is running a goroutine
        }
        P pp = m.p;                                // our own M's: racy only against a hand-off
        return pp == null || pp.runq.isEmpty();
    }

    /**
     * Throws {@link GoInterruptedException} if the calling thread's interrupt flag is set,
     * leaving the flag set. Blocking primitives call it before blocking and after each wake-up.
     */
    public static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new GoInterruptedException();
        }
    }
}
