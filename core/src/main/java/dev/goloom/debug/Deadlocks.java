package dev.goloom.debug;

import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.LeakCheck;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.trace.WaitForGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Partial deadlocks and permanently blocked goroutines, found while the rest of the program
 * runs. Go detects only the global deadlock ("all goroutines are asleep"); goloom also builds a
 * wait-for graph over lock owners and reports every cycle of goroutines each waiting for a lock
 * the next one holds, as {@link java.lang.management.ThreadMXBean#findDeadlockedThreads} does
 * for Java threads.
 *
 * {@snippet :
 * for (List<GoroutineInfo> cycle : rt.deadlocks()) {     // GoRuntime.deadlocks() calls find()
 *     System.err.println("deadlock among " + cycle.size() + " goroutines:");
 *     for (GoroutineInfo g : cycle) System.err.println("  goroutine " + g.id() + " [" + g.waitReason() + "]");
 * }
 * }
 *
 * <h2>What is found, and how sure it is</h2>
 * <ul>
 * <li><b>Lock cycles</b> ({@link #find}): goroutine A parked in {@code Mutex.lock} (or an RWMutex
 *     lock) on a lock owned by B, B parked on a lock owned by ..., back to A. Every member is
 *     parked, so none will unlock. Go lets a goroutine unlock a Mutex another one locked, so a
 *     third goroutine could in principle still break the cycle; this is the one way a report can
 *     be wrong, and it is as rare as that style. A lock held by its own waiter (relocking a
 *     non-reentrant Mutex) is a cycle of one.</li>
 * <li><b>Blocked forever by construction</b> ({@link #blockedForever}): goroutines parked on a
 *     nil channel or in a {@code select} with no cases. Nothing can ever wake them (Go's
 *     leak profile reports these too).</li>
 * <li><b>Channel waits</b> contribute no edges to the graph: a channel has no owner, and whoever
 *     holds a reference to it may yet send or receive. That question is the garbage collector's:
 *     see the next point.</li>
 * <li><b>Leaked goroutines</b> ({@link #leaked}): Go 1.26's goroutine leak profile. Goroutines
 *     parked on a channel, a select, a Mutex/RWMutex, a WaitGroup or a Cond that nothing live can
 *     reach any more can never be woken; the JVM's garbage collector proves it (it collects them),
 *     and they are reported with the stack captured just before. Unlike Go, which keeps leaked
 *     goroutines for inspection, goloom lets the GC reclaim them: they are gone from
 *     {@code numGoroutine()} and the dump afterwards. Sound (a reported goroutine could never
 *     run again) but not complete: see docs/DEBUGGING.md ("Leaks the GC proves").</li>
 * </ul>
 *
 * {@snippet :
 * String leaks = Deadlocks.leakReport(rt);    // runs a few GCs; "" when nothing leaked
 * if (!leaks.isEmpty()) {
 *     System.err.print(leaks);                  // goroutine 12 [chan send (leaked)]: ...
 * }
 * }
 *
 * <h2>Memory consistency effects</h2>
 * A result is a snapshot checked twice: each cycle is confirmed by re-reading every member's
 * wait (same reason, same wait start, same blocker, same owner) after the graph was built.
 */
public final class Deadlocks {
    /* Implementation notes
     *
     * Overview: the public face of internal.trace.WaitForGraph (the graph, Tarjan's SCC and the
     *   two-reading confirmation live there, next to their notes); this class maps the cycles to
     *   GoroutineInfo snapshots and formats reports.
     * Invariants: I1 every GoroutineInfo of a reported cycle is from one rt.goroutines() snapshot
     *   taken after the cycle was confirmed; a member that ended meanwhile drops the cycle.
     * Ownership & locking, memory ordering: stateless.
     */
    private Deadlocks() {
    }

    /** The lock cycles among {@code rt}'s goroutines, each in wait-for order. */
    public static List<List<GoroutineInfo>> find(GoRuntime rt) {
        List<List<G>> cycles = WaitForGraph.cycles(Goroutines.sched(rt));
        List<List<GoroutineInfo>> out = new ArrayList<>();
        if (cycles.isEmpty()) {
            return out;
        }
        java.util.Set<Long> members = new java.util.HashSet<>();
        for (List<G> cycle : cycles) {
            for (G g : cycle) {
                members.add(g.id());
            }
        }
        Map<Long, GoroutineInfo> infos = new HashMap<>();
        for (GoroutineInfo i : Goroutines.info(rt, members)) {   // walks the members' stacks only
            infos.put(i.id(), i);
        }
        for (List<G> cycle : cycles) {
            List<GoroutineInfo> c = new ArrayList<>();
            for (G g : cycle) {
                GoroutineInfo i = infos.get(g.id());
                if (i != null) {
                    c.add(i);
                }
            }
            if (c.size() == cycle.size()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Goroutines parked where nothing can ever wake them: a nil channel, {@code select {}}. */
    public static List<GoroutineInfo> blockedForever(GoRuntime rt) {
        List<GoroutineInfo> out = new ArrayList<>();
        for (GoroutineInfo i : rt.goroutines()) {
            String r = i.waitReason();
            if (r.equals(WaitReason.CHAN_SEND_NIL.toString()) || r.equals(WaitReason.CHAN_RECEIVE_NIL.toString())
                    || r.equals(WaitReason.SELECT_NO_CASES.toString())) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Goroutines of {@code rt} leaked for good, proven by the garbage collector: each was parked
     * in an untimed wait on a channel, a select, a Mutex/RWMutex, a WaitGroup, a Cond or a
     * semaphore, and nothing live could reach the goroutine any more (so nothing could ever send,
     * receive, unlock, signal or interrupt it). Go's {@code goroutineleak} profile (Go 1.26).
     *
     * <p>Each snapshot (stack, wait reason, how long) was taken just before the GC. The leaked
     * goroutines are reclaimed: when this returns they are no longer counted by
     * {@link GoRuntime#numGoroutine()} nor listed by {@link GoRuntime#goroutines()}; their ids
     * stay known to {@link #reclaimedLeaks} (the JUnit leak extension asks it).
     *
     * <p>Blocking: runs up to three {@link System#gc()} rounds (tens to hundreds of milliseconds on
     * a large heap); one check runs at a time in the JVM. Never reports a goroutine that could
     * still be woken: sleeping goroutines, goroutines with a timeout, in socket I/O, in a JDK
     * lock, runnable or running ones are never candidates, and one that some live object (a
     * field, a local of any running thread, a {@link dev.goloom.Goroutine} handle you kept, a
     * timer) still reaches is not collected. See docs/DEBUGGING.md for what it can miss.
     *
     * <p>Memory consistency effects: a goroutine woken while the check runs is held strongly
     * again by its waker before it runs, so it is never reported.
     *
     * @return the leaked goroutines' snapshots, by id (empty when none)
     * @throws IllegalStateException when the check cannot run: see {@link #leakCheckUnavailable}
     */
    public static List<GoroutineInfo> leaked(GoRuntime rt) {
        List<GoroutineInfo> out = new ArrayList<>();
        for (LeakCheck.Leaked l : LeakCheck.run(Goroutines.sched(rt))) {
            out.add(l.info());
        }
        return out;
    }

    /**
     * Runs {@link #leaked} and formats the result in Go's traceback format, each header marked
     * {@code (leaked)} as Go 1.26 prints it, with a summary line first; "" when nothing leaked;
     * one line saying why when the check cannot run in this JVM.
     */
    public static String leakReport(GoRuntime rt) {
        List<LeakCheck.Leaked> l;
        try {
            l = LeakCheck.run(Goroutines.sched(rt));
        } catch (IllegalStateException e) {
            return e.getMessage().replaceFirst("^goloom: ", "") + "\n";
        }
        return leakText(l);
    }

    /**
     * Why {@link #leaked} cannot run for {@code rt} (empty when it can): goroutines must run on
     * goloom's scheduler and start in goloom's JDK thread container, which needs the JVM flag
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (as the scheduler does) and no
     * {@code -Dgoloom.threadContainer=false}.
     */
    public static Optional<String> leakCheckUnavailable(GoRuntime rt) {
        return Optional.ofNullable(LeakCheck.unavailable(Goroutines.sched(rt)));
    }

    /**
     * The leak report of those of {@code ids} that a {@link #leaked} check (run by anyone, in
     * any runtime) found leaked and reclaimed; "" when none. The last 10,000 are remembered.
     */
    public static String reclaimedLeaks(java.util.Collection<Long> ids) {
        return ids.isEmpty() ? "" : leakText(LeakCheck.reclaimed(ids));
    }

    private static String leakText(List<LeakCheck.Leaked> l) {
        if (l.isEmpty()) {
            return "";
        }
        return "goroutine leak: " + l.size() + (l.size() == 1 ? " goroutine" : " goroutines")
                + " blocked for good (nothing live can reach what they wait on; proven by the GC, reclaimed)\n\n"
                + LeakCheck.format(l);
    }

    /** A report of {@link #find} and {@link #blockedForever}, empty when there is nothing. */
    public static String report(GoRuntime rt) {
        StringBuilder sb = new StringBuilder();
        for (List<GoroutineInfo> c : find(rt)) {
            sb.append("partial deadlock: ").append(c.size()).append(c.size() == 1 ? " goroutine" : " goroutines")
                    .append(" waiting for each other's locks\n\n");
            sb.append(Goroutines.dump(rt, c.stream().map(GoroutineInfo::id).toList()));
        }
        List<GoroutineInfo> f = blockedForever(rt);
        if (!f.isEmpty()) {
            sb.append("blocked forever (nil channel or empty select): ").append(f.size()).append("\n\n");
            sb.append(Goroutines.format(rt, f));
        }
        return sb.toString();
    }

}
