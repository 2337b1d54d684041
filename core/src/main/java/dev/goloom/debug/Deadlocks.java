package dev.goloom.debug;

import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.trace.WaitForGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <li><b>Channel waits</b> contribute no edges: a channel has no owner, and whoever holds a
 *     reference to it may yet send or receive. Go 1.26's goroutine leak profile decides this with
 *     the garbage collector (a goroutine blocked on a channel no runnable goroutine can reach);
 *     goloom cannot, see docs/DEBUGGING.md ("Leaks that only the GC could prove").</li>
 * </ul>
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
