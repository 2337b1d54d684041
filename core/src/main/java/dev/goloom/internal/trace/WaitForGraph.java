package dev.goloom.internal.trace;

import dev.goloom.Goroutine;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.syncx.SyncDebug;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait-for graph behind {@code dev.goloom.debug.Deadlocks} and the partial-deadlock lines of
 * {@code dump()}: edges from a goroutine parked on a lock to the lock's owners, and the cycles.
 */
public final class WaitForGraph {
    /* Implementation notes
     *
     * Overview
     *   1. snapshot: for each live g parked with a lock wait reason, its blocker (the object given
     *      to Park.park, else LockSupport.getBlocker of its thread) and the blocker's owners
     *      (SyncDebug.ownerThread for Mutex and the writer side of RWMutex, then any resolver
     *      registered with addOwnerResolver; an owner may be given as a Thread, a Goroutine, a
     *      goroutine id, or a collection or array of them). RWMutex readers are not tracked by
     *      the sync package, so a writer waiting for readers has no edge (no false report, but a
     *      cycle through read locks is not found).
     *   2. Tarjan's strongly connected components over edges waiter -> owner; a component of two
     *      or more, or one with a self-edge, is a cycle.
     *   3. confirm: every member still waits with the same waitSince, blocker and owners.
     *
     * Lineage
     *   HotSpot's ThreadService::find_deadlocks_at_safepoint (owner chains of monitors and
     *   ownable synchronizers); R. Tarjan, "Depth-first search and linear graph algorithms", 1972.
     *
     * Invariants
     *   I1 only parked goroutines have out-edges, so every member of a reported cycle is parked.
     *   I2 a cycle is reported only if its second reading equals its first.
     *
     * Ownership & locking: stateless apart from the resolver list (copy-on-write).
     * Memory ordering: reads volatile g fields; a race between the two readings of a member
     *   shows as a changed waitSince, blocker or owner set, and the cycle is dropped (I2).
     * Rejected alternatives: stopping the world (goloom cannot); edges for channel waits
     *   (unsound: any holder of the channel may still act).
     */
    private WaitForGraph() {
    }

    private static final List<Function<Object, Object>> RESOLVERS = new CopyOnWriteArrayList<>();

    /**
     * Adds a way to find the owners of a lock kind goloom does not know (answer null for a lock
     * that is not yours). Used by tests and by integrations of other lock libraries.
     */
    public static void addOwnerResolver(Function<Object, Object> r) {
        RESOLVERS.add(Objects.requireNonNull(r));
    }

    public static void removeOwnerResolver(Function<Object, Object> r) {
        RESOLVERS.remove(r);
    }

    /** The confirmed lock cycles among {@code s}'s goroutines, each in wait-for order. */
    public static List<List<G>> cycles(Sched s) {
        List<G> gs = s.allGs();
        Map<Thread, G> byThread = new IdentityHashMap<>();
        Map<Long, G> byId = new HashMap<>();
        boolean anyLockWait = false;
        for (G g : gs) {
            if (g.thread() != null) {
                byThread.put(g.thread(), g);
            }
            byId.put(g.id(), g);
            anyLockWait |= g.waitReason() != null && isLockWait(g.waitReason());
        }
        if (!anyLockWait) {
            return List.of();
        }
        Map<G, Wait> waits = new IdentityHashMap<>();
        for (G g : gs) {
            Wait w = waitOf(g, byThread, byId);
            if (w != null) {
                waits.put(g, w);
            }
        }
        List<List<G>> out = new ArrayList<>();
        for (List<G> cycle : tarjan(gs, waits)) {
            if (confirmed(cycle, waits, byThread, byId)) {          // keeps I2
                out.add(cycle);
            }
        }
        return out;
    }

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

    /** The owners of lock {@code b} (empty when unknown). */
    static List<Object> owners(Object b) {
        List<Object> out = new ArrayList<>();
        add(out, SyncDebug.ownerThread(b));              // Mutex, RWMutex writer; else null
        for (Function<Object, Object> r : RESOLVERS) {
            add(out, r.apply(b));
        }
        return out;
    }

    private static void add(List<Object> out, Object r) {
        if (r instanceof Collection<?> c) {
            out.addAll(c);
        } else if (r instanceof Object[] a) {
            out.addAll(List.of(a));
        } else if (r != null) {
            out.add(r);
        }
    }

    /** Tarjan's SCC, iterative; returns the components that are cycles. */
    static List<List<G>> tarjan(List<G> gs, Map<G, Wait> waits) {
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
