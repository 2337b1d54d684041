package dev.goloom.internal.sched;

import dev.goloom.GoroutineInfo;
import dev.goloom.internal.trace.Trace;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The goroutine leak check: Go 1.26's {@code goroutineleak} profile, decided by the JVM's garbage
 * collector. A goroutine parked on a channel, a select, a lock, a WaitGroup or a Cond that nothing
 * live can reach any more can never be woken: the check proves it by letting the GC collect it.
 * {@code dev.goloom.debug.Deadlocks.leaked} is its public face.
 */
public final class LeakCheck {
    /* Implementation notes
     *
     * Overview
     *   Only a goroutine's registry slot (AllGs) keeps a parked goroutine alive from goloom's side
     *   (its thread starts in goloom's own JDK thread container, which holds nothing: VThreads,
     *   GoThreadContainer); everything else that does is something that can wake it: the channel's
     *   or lock's wait queue (reachable from whoever can send, receive or unlock), the JDK's
     *   unparker for timed parks, goloom's timer heaps for sleeps, the run queues for runnable
     *   goroutines. So: (1) arm and snapshot the goroutines parked in an untimed goloom wait
     *   (their GoroutineInfo, stack included, and their "created by" lines); (2) make just those
     *   registry slots weak (AllGs.weaken); (3) System.gc(), a few rounds; (4) a goroutine whose
     *   weak reference was cleared was unreachable: nothing can ever wake it — leaked. Its slot is
     *   freed (AllGs.settle): numGoroutine drops, GO_END is emitted for tracers. The others are
     *   held strongly again. A goroutine woken during the window is made strong by its waker at
     *   once (G.execute -> AllGs.strengthen), before it can run.
     *
     * Lineage
     *   golang/go src/runtime/mgc.go and mgcmark.go (Go 1.26, GOEXPERIMENT=goroutineleakprofile:
     *   a GC cycle that marks from runnable goroutines only and marks a blocked goroutine once
     *   the object it blocks on is marked), after Saioc et al., "Dynamic Partial Deadlock
     *   Detection and Recovery via Garbage Collection" (ASPLOS 2025). Deviations: the JVM offers
     *   no hook into marking, so reachability is asked through WeakReferences; the JVM's roots
     *   are more than Go's (every platform thread's stack, statics, JNI handles), which only
     *   keeps more goroutines alive (sound, less complete); a leaked goroutine is reclaimed, not
     *   kept for inspection, so the report shows the stack captured before the GC.
     *
     * Invariants
     *   I1 (soundness) a goroutine is reported only if the GC cleared its LeakRef while the
     *      registry held it only through that LeakRef, i.e. its G (and so its thread, whose
     *      scheduler field is the G, and so every wait queue entry that points at the thread)
     *      was unreachable: no live code can unpark or interrupt it.
     *   I2 a reported goroutine was parked in the wait its report shows from the snapshot to its
     *      collection: it was armed before its park state was read, any wake-up after the arm
     *      disarms it (G.execute) and weaken() moves only armed goroutines.
     *   I3 after run() returns, no registry slot is weak (every LeakRef was settled), and at
     *      most one check runs at a time (CHECK).
     *   I4 the checker holds no strong reference to a candidate g during the GC: arm() returns
     *      only LeakRefs and snapshots, and its frame (with the registry snapshot) is gone.
     *
     * Ownership & locking
     *   CHECK (a ReentrantLock) serializes checks. The registry's weak entries are guarded by the
     *   stripe locks (AllGs). RECLAIMED is guarded by its own monitor.
     *
     * Memory ordering
     *   The arm/wake race is Dekker's: the checker writes g.leakArmed (volatile), then reads the
     *   virtual thread's state (volatile in the JDK) and sees it PARKED; a waker changes that
     *   state (the JDK's CAS PARKED -> UNPARKED, or the resubmit after a stack walk) before it
     *   calls the g's execute(), which reads leakArmed (volatile). In the total order of these
     *   accesses either the checker sees the wake-up (and disarms) or the waker sees the arm
     *   (and strengthens). weaken/strengthen/settle run under the same stripe lock.
     *
     * Rejected alternatives
     *   A WeakReference allocated per park (or per goroutine): a cost on every park for a check
     *   that runs rarely; -Djdk.trackAllThreads=false instead of our own thread container: a flag
     *   users must add, and JDK thread dumps then miss every virtual thread; keeping leaked
     *   goroutines alive for inspection (Go does): on the JVM, whatever keeps them alive is a
     *   strong reference, which is exactly what the proof needs absent.
     */

    /** A goroutine the GC proved leaked: its snapshot from before the GC, and Go's created-by lines. */
    public record Leaked(GoroutineInfo info, String createdBy) {
    }

    private static final ReentrantLock CHECK = new ReentrantLock();
    /** Reclaimed leaks by goroutine id, the most recent MAX_RECLAIMED (for the JUnit extension). */
    private static final Map<Long, Leaked> RECLAIMED = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Leaked> e) {
            return size() > MAX_RECLAIMED;
        }
    };
    private static final int MAX_RECLAIMED = 10_000;
    /** GC rounds at most; a round that clears nothing new ends the check early. */
    private static final int ROUNDS = 3;

    private LeakCheck() {
    }

    /** Why the check cannot run for {@code s}, or null when it can. */
    public static String unavailable(Sched s) {
        if (!s.gmp) {
            return "goroutines run on the JDK's scheduler (fallback mode: " + VThreads.UNAVAILABLE_REASON + ")";
        }
        if (s.container == null) {
            return "goroutines start in the JDK's root thread container, which keeps them alive ("
                    + (VThreads.CONTAINER_UNAVAILABLE != null ? VThreads.CONTAINER_UNAVAILABLE : "no container") + ")";
        }
        return null;
    }

    /**
     * Runs the check on {@code s}: the goroutines proven leaked, ordered by id, which are then
     * gone from the registry. Blocks for a few garbage collections.
     *
     * @throws IllegalStateException if the check cannot run (see {@link #unavailable}) or no GC ran
     */
    public static List<Leaked> run(Sched s) {
        String why = unavailable(s);
        if (why != null) {
            throw new IllegalStateException("goloom: goroutine leak check unavailable: " + why);
        }
        CHECK.lock();
        try {
            List<Candidate> cands = arm(s);   // keeps I4: no G survives this call on our stack
            if (cands.isEmpty()) {
                return List.of();
            }
            long gcs = gcCount();
            int cleared = 0;
            for (int round = 0; round < ROUNDS; round++) {
                System.gc();
                int n = 0;
                for (Candidate c : cands) {
                    if (c.ref.refersTo(null)) {
                        n++;
                    }
                }
                boolean done = n == cands.size() || (round > 0 && n == cleared);
                cleared = n;
                if (done) {
                    break;
                }
            }
            boolean gcRan = gcCount() != gcs;
            List<Leaked> out = new ArrayList<>();
            for (Candidate c : cands) {             // keeps I3
                if (s.allgs.settle(c.ref)) {
                    out.add(new Leaked(c.info, c.createdBy));
                    if (Trace.on) {
                        Trace.emit(Trace.GO_END, -1, c.ref.goid, 0);
                    }
                }
            }
            if (out.isEmpty() && !gcRan) {
                throw new IllegalStateException("goloom: goroutine leak check unavailable: System.gc() ran no "
                        + "collection (-XX:+DisableExplicitGC?)");
            }
            out.sort((a, b) -> Long.compare(a.info.id(), b.info.id()));
            synchronized (RECLAIMED) {
                for (Leaked l : out) {
                    RECLAIMED.put(l.info.id(), l);
                }
            }
            return out;
        } finally {
            CHECK.unlock();
        }
    }

    /** The leaks among {@code ids} that some check reclaimed (the most recent 10,000 are kept). */
    public static List<Leaked> reclaimed(Collection<Long> ids) {
        List<Leaked> out = new ArrayList<>();
        synchronized (RECLAIMED) {
            for (Long id : ids) {
                Leaked l = RECLAIMED.get(id);
                if (l != null) {
                    out.add(l);
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.info.id(), b.info.id()));
        return out;
    }

    /**
     * Go's traceback format for leaked goroutines: the header says {@code (leaked)} after the wait
     * reason, as Go 1.26 does, and the stack is the one captured before the GC.
     */
    public static String format(List<Leaked> leaks) {
        StringBuilder sb = new StringBuilder();
        for (Leaked l : leaks) {
            GoroutineInfo i = l.info;
            sb.append("goroutine ").append(i.id()).append(" [").append(Dumps.bracket(i)).append(" (leaked)]:\n");
            if (Dumps.named(i)) {
                sb.append("# labels: {\"name\":").append(Dumps.quote(i.name())).append("}\n");
            }
            for (StackTraceElement e : i.stack()) {
                Dumps.frame(sb, e);
            }
            sb.append(l.createdBy).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ internals

    private record Candidate(AllGs.LeakRef ref, GoroutineInfo info, String createdBy) {
    }

    /** The waits only another goroutine can end and that no timer or poller holds (I1). */
    private static boolean untimedGoloomWait(WaitReason r) {
        return r != null && r.goloom && r != WaitReason.SLEEP;
    }

    /**
     * Arms, snapshots and weakens every goroutine of {@code s} parked in an untimed goloom wait.
     * Returns no G (I4): only weak entries and snapshots.
     */
    private static List<Candidate> arm(Sched s) {
        List<Candidate> out = new ArrayList<>();
        long now = Sched.nanoTime();
        for (G g : s.allgs.snapshot()) {
            WaitReason r = g.waitReason;
            Thread t = g.thread;
            if (!untimedGoloomWait(r) || t == null || g.foreign) {
                continue;
            }
            g.leakArmed = true;                   // volatile write, then read the park state
            if (t.getState() != Thread.State.WAITING || g.queuedVolatile() || g.waitReason != r) {
                g.leakArmed = false;              // running, runnable, or a timed park
                continue;
            }
            GoroutineInfo info = Sched.info(g, now);
            StringBuilder cb = new StringBuilder();
            Dumps.createdBy(cb, g);
            if (!g.leakArmed || g.waitReason != r) {
                g.leakArmed = false;
                continue;                          // woken while we looked (keeps I2)
            }
            AllGs.LeakRef ref = s.allgs.weaken(g);
            if (ref != null) {
                out.add(new Candidate(ref, info, cb.toString()));
            } else {
                g.leakArmed = false;
            }
        }
        return out;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }
}
