package dev.goloom.internal.sched;

import dev.goloom.internal.timer.TimerHeap;
import dev.goloom.internal.timer.TimerHost;
import dev.goloom.internal.timer.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The GMP scheduler as the timer engine's host (Go 1.14+ per-P timers): every P has its own
 * {@link TimerHeap}; a timer started by a goroutine goes to the heap of the P its M holds, one
 * started by any other thread to the engine's default host (its own daemon thread). The
 * scheduler runs a P's due timers in its loop (M.checkTimers), steals other Ps' due timers when
 * it would otherwise idle, parks its last idle M until the earliest timer (the timer waiter), and
 * sysmon runs timers no M is running.
 */
final class SchedTimers {
    /* Implementation notes
     *
     * Overview
     *   Timers.host is process-wide while runtimes (Scheds) are many, so one Dispatcher is
     *   installed once and picks the caller's runtime: the calling thread's M (an M itself, or a
     *   goroutine mounted on one) names the P. Each runtime has a PerSched host whose heaps are its
     *   Ps' heaps and whose timerAdded wakes that runtime's timer waiter.
     *
     * Invariants
     *   I1 a heap's host() is the PerSched of the runtime whose P owns it.
     *   I2 Dispatcher.fallback is the host that was installed before us (the engine's default).
     *
     * Memory ordering
     *   SCHEDS is copy-on-write (registration is rare; heaps() iterates a snapshot).
     *   Adding to a P's heap takes that heap's own lock, so any thread may add to any P's heap:
     *   no P ownership is needed (unlike the run queue).
     */
    private static final CopyOnWriteArrayList<Sched> SCHEDS = new CopyOnWriteArrayList<>();
    private static volatile Dispatcher dispatcher;

    private SchedTimers() {
    }

    /** Gives every P of {@code s} a heap and makes sure the dispatcher is installed. */
    static void register(Sched s) {
        Dispatcher d = dispatcher;
        if (d == null) {
            synchronized (SchedTimers.class) {
                d = dispatcher;
                if (d == null) {
                    d = new Dispatcher(Timers.host);
                    Timers.install(d);
                    dispatcher = d;
                }
            }
        }
        SCHEDS.add(s);
    }

    static void unregister(Sched s) {
        SCHEDS.remove(s);
    }

    /** A heap for a new P of {@code s}. */
    static TimerHeap newHeap(Sched s) {
        return new TimerHeap(s.timerHost);
    }

    /** True while a timer that can wake a goroutine is pending in {@code s} or off-runtime. */
    static boolean pending(Sched s) {
        for (P pp : s.allp) {
            TimerQueue t = pp.timers;
            if (t instanceof TimerHeap h && h.hasWakingTimer()) {
                return true;
            }
        }
        Dispatcher d = dispatcher;
        if (d != null && d.fallback != null) {
            for (TimerHeap h : d.fallback.heaps()) {
                if (h.hasWakingTimer()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One runtime's host: its Ps' heaps; a new earliest timer wakes its timer waiter. */
    static final class PerSched implements TimerHost {
        private final Sched sched;

        PerSched(Sched sched) {
            this.sched = sched;
        }

        @Override
        public TimerHeap heapForCurrent() {
            return dispatcher.heapForCurrent();
        }

        @Override
        public void timerAdded(TimerHeap h, long when) {
            sched.timerAdded(when);
        }

        @Override
        public List<TimerHeap> heaps() {
            List<TimerHeap> l = new ArrayList<>();
            for (P pp : sched.allp) {
                if (pp.timers instanceof TimerHeap h) {
                    l.add(h);
                }
            }
            return l;
        }
    }

    /** The process-wide host: the caller's P's heap, else the engine's default host. */
    static final class Dispatcher implements TimerHost {
        final TimerHost fallback;

        Dispatcher(TimerHost fallback) {
            this.fallback = fallback;
        }

        @Override
        public TimerHeap heapForCurrent() {
            M m = Sched.currentMAny();
            if (m != null) {
                P pp = m.p;
                if (pp != null && pp.timers instanceof TimerHeap h) {
                    return h;
                }
            }
            return fallback.heapForCurrent();
        }

        @Override
        public void timerAdded(TimerHeap h, long when) {
            TimerHost owner = h.host();
            if (owner != this) {
                owner.timerAdded(h, when);
            }
        }

        @Override
        public List<TimerHeap> heaps() {
            List<TimerHeap> l = new ArrayList<>(fallback.heaps());
            for (Sched s : SCHEDS) {
                l.addAll(s.timerHost.heaps());
            }
            return l;
        }
    }
}
