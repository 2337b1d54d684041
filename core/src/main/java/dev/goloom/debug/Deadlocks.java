package dev.goloom.debug;

import dev.goloom.GoRuntime;
import dev.goloom.Goroutine;
import dev.goloom.GoroutineInfo;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.WaitReason;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

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
     * Overview
     *   1. snapshot: for each live g parked with a lock wait reason, its blocker (the object given
     *      to Park.park, else LockSupport.getBlocker of its thread) and the blocker's owners
     *      (SyncDebug.owner, looked up reflectively so this file compiles without the sync
     *      package; it answers a Thread, a Goroutine, an id, or a collection of them).
     *   2. Tarjan's strongly connected components over edges waiter -> owner; a component of two
     *      or more, or one with a self-edge, is a cycle.
     *   3. confirm: every member still waits with the same waitSince and blocker.
     *
     * Lineage
     *   HotSpot's ThreadService::find_deadlocks_at_safepoint (owner chains of monitors and
     *   ownable synchronizers); Tarjan 1972.
     *
     * Invariants
     *   I1 only parked goroutines have out-edges, so every member of a reported cycle is parked.
     *
     * Ownership & locking: stateless; reads volatile g fields.
     * Memory ordering: a race between the two reads of a member shows as a changed waitSince or
     *   blocker, and the cycle is dropped (never reported on a torn snapshot).
     * Rejected alternatives: stopping the world (goloom cannot); edges for channel waits
     *   (unsound: any holder of the channel may still act).
     */
    private Deadlocks() {
    }

    /** The lock cycles among {@code rt}'s goroutines, each in wait-for order. */
    public static List<List<GoroutineInfo>> find(GoRuntime rt) {
        List<G> gs = Goroutines.sched(rt).allGs();
        Map<Thread, G> byThread = new IdentityHashMap<>();
        Map<Long, G> byId = new HashMap<>();
        for (G g : gs) {
            if (g.thread() != null) {
                byThread.put(g.thread(), g);
            }
            byId.put(g.id(), g);
        }
        Map<G, Wait> waits = new IdentityHashMap<>();
        for (G g : gs) {
            Wait w = waitOf(g, byThread, byId);
            if (w != null) {
                waits.put(g, w);
            }
        }
        List<List<GoroutineInfo>> out = new ArrayList<>();
        Map<Long, GoroutineInfo> infos = null;
        for (List<G> cycle : cycles(gs, waits)) {
            if (!confirmed(cycle, waits, byThread, byId)) {
                continue;
            }
            if (infos == null) {
                infos = new HashMap<>();
                for (GoroutineInfo i : rt.goroutines()) {
                    infos.put(i.id(), i);
                }
            }
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

    // ------------------------------------------------------------------------- the graph

    /** A parked g's lock wait: what it waits on and who holds it. */
    private record Wait(WaitReason reason, long since, Object blocker, List<G> owners) {
    }

    private static boolean isLockWait(WaitReason r) {
        return r == WaitReason.MUTEX_LOCK || r == WaitReason.RWMUTEX_LOCK || r == WaitReason.RWMUTEX_RLOCK;
    }

    private static Wait waitOf(G g, Map<Thread, G> byThread, Map<Long, G> byId) {
        WaitReason r = g.waitReason();
        if (r == null || !isLockWait(r)) {
            return null;
        }
        long since = g.waitSince();
        Object b = g.blocker();
        if (b == null && g.thread() != null) {
            b = LockSupport.getBlocker(g.thread());
        }
        if (b == null) {
            return null;
        }
        List<G> owners = new ArrayList<>();
        for (Object o : owners(b)) {
            G og = o instanceof Thread t ? byThread.get(t)
                    : o instanceof Goroutine x ? byId.get(x.id())
                    : o instanceof Number n ? byId.get(n.longValue()) : null;
            if (og != null) {
                owners.add(og);
            }
        }
        return owners.isEmpty() ? null : new Wait(r, since, b, owners);
    }

    private static final MethodHandle OWNER = ownerHandle();

    private static MethodHandle ownerHandle() {
        try {
            Class<?> c = Class.forName("dev.goloom.internal.syncx.SyncDebug");
            return MethodHandles.publicLookup().findStatic(c, "owner", MethodType.methodType(Object.class, Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The owners of lock {@code b} as SyncDebug reports them (empty when unknown). */
    static List<Object> owners(Object b) {
        if (OWNER == null) {
            return List.of();
        }
        Object r;
        try {
            r = OWNER.invokeExact(b);
        } catch (Throwable t) {
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        if (r instanceof Collection<?> c) {
            out.addAll(c);
        } else if (r instanceof Object[] a) {
            out.addAll(List.of(a));
        } else if (r != null) {
            out.add(r);
        }
        return out;
    }

    /** Tarjan's SCC, iterative; returns the components that are cycles. */
    static List<List<G>> cycles(List<G> gs, Map<G, Wait> waits) {
        Map<G, int[]> idx = new IdentityHashMap<>();   // {index, lowlink, onStack}
        Deque<G> stack = new ArrayDeque<>();
        List<List<G>> out = new ArrayList<>();
        int[] counter = {0};
        for (G root : gs) {
            if (waits.containsKey(root) && !idx.containsKey(root)) {
                strongConnect(root, waits, idx, stack, out, counter);
            }
        }
        return out;
    }

    private static void strongConnect(G root, Map<G, Wait> waits, Map<G, int[]> idx, Deque<G> stack,
                                      List<List<G>> out, int[] counter) {
        Deque<Object[]> work = new ArrayDeque<>();     // {g, next edge index}
        visit(root, idx, stack, counter);
        work.push(new Object[] {root, 0});
        while (!work.isEmpty()) {
            Object[] f = work.peek();
            G v = (G) f[0];
            int e = (int) f[1];
            Wait w = waits.get(v);
            List<G> succ = w == null ? List.of() : w.owners;
            if (e < succ.size()) {
                f[1] = e + 1;
                G u = succ.get(e);
                int[] ui = idx.get(u);
                if (ui == null) {
                    visit(u, idx, stack, counter);
                    work.push(new Object[] {u, 0});
                } else if (ui[2] == 1) {
                    int[] vi = idx.get(v);
                    vi[1] = Math.min(vi[1], ui[0]);
                }
                continue;
            }
            work.pop();
            int[] vi = idx.get(v);
            if (!work.isEmpty()) {
                int[] pi = idx.get((G) work.peek()[0]);
                pi[1] = Math.min(pi[1], vi[1]);
            }
            if (vi[1] == vi[0]) {
                List<G> comp = new ArrayList<>();
                G x;
                do {
                    x = stack.pop();
                    idx.get(x)[2] = 0;
                    comp.add(x);
                } while (x != v);
                if (comp.size() > 1 || succ.contains(v)) {
                    out.add(order(comp, waits));
                }
            }
        }
    }

    private static void visit(G g, Map<G, int[]> idx, Deque<G> stack, int[] counter) {
        idx.put(g, new int[] {counter[0], counter[0], 1});
        counter[0]++;
        stack.push(g);
    }

    /** The component in wait-for order: each member waits for a lock the next one holds. */
    private static List<G> order(List<G> comp, Map<G, Wait> waits) {
        Set<G> in = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        in.addAll(comp);
        G start = comp.stream().min((a, b) -> Long.compare(a.id(), b.id())).orElseThrow();
        LinkedHashSet<G> path = new LinkedHashSet<>();
        G cur = start;
        while (cur != null && path.add(cur)) {
            G next = null;
            for (G o : waits.get(cur).owners) {
                if (in.contains(o) && !path.contains(o)) {
                    next = o;
                    break;
                }
            }
            cur = next;
        }
        for (G g : comp) {
            path.add(g);                                   // members off the simple path, last
        }
        return new ArrayList<>(path);
    }

    private static boolean confirmed(List<G> cycle, Map<G, Wait> waits, Map<Thread, G> byThread, Map<Long, G> byId) {
        for (G g : cycle) {
            Wait before = waits.get(g);
            Wait now = waitOf(g, byThread, byId);
            if (now == null || now.since != before.since || now.blocker != before.blocker
                    || !Objects.equals(ids(now.owners), ids(before.owners))) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> ids(List<G> gs) {
        return gs.stream().map(G::id).sorted().toList();
    }
}
