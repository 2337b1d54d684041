package dev.goloom.internal.sched;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Go's {@code checkdead}: is every goroutine asleep in a goloom primitive, with no timer that
 * could wake one? Only then can nothing ever run again.
 */
public final class Deadlock {
    /* Implementation notes
     *
     * Overview
     *   Go's checkdead runs when the number of running Ms drops to zero. Here main's waiter asks
     *   every 50 ms: the runtime must be quiescent (every P idle, every run queue empty, no M
     *   stuck in a handed-off goroutine: Sched.quiescent), no timer of this runtime may be able
     *   to wake a goroutine, and every live goroutine must be parked with a goloom wait reason
     *   (one in socket I/O or a JDK lock can be woken from outside). Two samples 30 ms apart
     *   must agree goroutine by goroutine (same wait start), so a goroutine woken and parked
     *   again in between, or one readied but not yet running, is never taken for dead. The
     *   other live runtimes of the JVM are sampled the same way: Go has one runtime per process,
     *   goloom may have several sharing channels, and any of them may wake this one's main.
     *
     * Lineage
     *   golang/go src/runtime/proc.go checkdead. Deviation: sampled, not event-driven (the JDK
     *   gives no hook when the last carrier goes idle).
     *
     * Memory ordering
     *   Reads only volatile snapshots; a false "not deadlocked" just delays the report by one
     *   round. A false "deadlocked" needs two identical samples of a non-quiescent runtime,
     *   which the quiescence check (read first) excludes.
     */
    private Deadlock() {
    }

    /**
     * Set by the time package: true while a timer that can wake a goroutine is pending (a sleep,
     * a timer channel someone waits on, an afterFunc, a context deadline).
     */
    public static volatile BooleanSupplier timersPending = () -> false;

    /**
     * True when the runtime is deadlocked; takes two samples a short while apart. Every other
     * runtime of the JVM must be asleep too: a goroutine of another runtime may wake one of this
     * one (Go.go inside a custom runtime's main starts goroutines in the global runtime, and
     * they share channels and WaitGroups with it).
     */
    static boolean check(Sched s) {
        List<Sched> world = world(s);
        List<Map<Long, Long>> first = sample(world);
        if (first == null) {
            return false;
        }
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        List<Map<Long, Long>> second = sample(world);
        return first.equals(second);
    }

    /** s first, then every other runtime of the JVM that is not closed. */
    private static List<Sched> world(Sched s) {
        List<Sched> w = new ArrayList<>();
        w.add(s);
        for (Sched o : dev.goloom.internal.trace.RuntimeHooks.scheds()) {
            if (o != s && !o.isClosed()) {
                w.add(o);
            }
        }
        return w;
    }

    /** Per runtime of {@code world}, goid to waitSince; null if a goroutine anywhere may run. */
    private static List<Map<Long, Long>> sample(List<Sched> world) {
        List<Map<Long, Long>> all = new ArrayList<>(world.size());
        for (int i = 0; i < world.size(); i++) {
            Map<Long, Long> m = sample(world.get(i), i > 0);
            if (m == null) {
                return null;
            }
            all.add(m);
        }
        return all;
    }

    /**
     * goid to waitSince of every goroutine, or null if one is not asleep in goloom (or, unless
     * {@code mayBeEmpty}, if there is none: main's own runtime always has main).
     */
    private static Map<Long, Long> sample(Sched s, boolean mayBeEmpty) {
        if (!s.quiescent() || s.timersPending()) {
            return null;
        }
        List<G> gs = s.allGs();
        if (gs.isEmpty() && !mayBeEmpty) {
            return null;
        }
        Map<Long, Long> m = new HashMap<>();
        for (G g : gs) {
            WaitReason r = g.waitReason;
            if (r == null || !r.goloom || g.status == G.G_DEAD) {
                return null;
            }
            m.put(g.goid, g.waitSince);
        }
        return m;
    }
}
