package dev.goloom.internal.sched;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Go's {@code checkdead}: is every goroutine asleep in a goloom primitive, with no timer that
 * could wake one? Only then can nothing ever run again.
 */
public final class Deadlock {
    private Deadlock() {
    }

    /**
     * Set by the time package: true while a timer that can wake a goroutine is pending (a sleep,
     * a timer channel someone waits on, an afterFunc, a context deadline).
     */
    public static volatile BooleanSupplier timersPending = () -> false;

    /** True when the runtime is deadlocked; takes two samples a short while apart. */
    static boolean check(Sched s) {
        Map<Long, Long> first = sample(s);
        if (first == null) {
            return false;
        }
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Map<Long, Long> second = sample(s);
        return first.equals(second);
    }

    /** goid to waitSince of every goroutine, or null if one is not asleep in goloom. */
    private static Map<Long, Long> sample(Sched s) {
        if (!s.quiescent() || s.timersPending()) {
            return null;
        }
        List<G> gs = s.allGs();
        if (gs.isEmpty()) {
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
