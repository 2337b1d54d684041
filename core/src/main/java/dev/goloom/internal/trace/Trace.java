package dev.goloom.internal.trace;

/**
 * The execution tracer's hooks: the scheduler, channels, sync and timers call these at each
 * event. When tracing is off ({@link #on} false) each hook costs one static volatile read.
 *
 * <p>The recorder behind the hooks is a {@link Sink}: per-P buffers, a binary file, JFR. {@code p}
 * is the index of the P the event happened on, or -1 when it did not happen on one of our
 * carriers (a JDK unparker thread, a plain thread).
 */
public final class Trace {
    private Trace() {
    }

    // event kinds (Go's traceEv* names)
    public static final int GO_CREATE = 1;     // goid created (arg: parent goid)
    public static final int GO_START = 2;      // goid mounted on p
    public static final int GO_BLOCK = 3;      // goid parked (arg: WaitReason ordinal, -1 unknown)
    public static final int GO_UNBLOCK = 4;    // goid readied (arg: waker goid, 0 if none)
    public static final int GO_END = 5;        // goid finished
    public static final int GO_SCHED = 6;      // goid yielded (Gosched) or its slice ended
    public static final int PROC_START = 7;    // an M took p
    public static final int PROC_STOP = 8;     // p went idle
    public static final int STEAL = 9;         // p stole arg goroutines (goid: victim P index)
    public static final int HANDOFF = 10;      // sysmon took p from an M stuck in goid
    public static final int TIMER_FIRE = 11;   // a timer ran on p (arg: timer kind)
    public static final int GO_SYSCALL = 12;   // goid's M was found stuck in a pinned call
    /** goid was alive when the trace started (arg: WaitReason ordinal if parked, else -1). */
    public static final int GO_STATUS = 13;
    /** the highest event kind; readers reject larger ones. */
    public static final int MAX_KIND = 13;

    /** Go's traceEv names for the kinds, indexed by kind (for tools and error messages). */
    public static final java.util.List<String> KIND_NAMES = java.util.List.of("none",
            "GoCreate", "GoStart", "GoBlock", "GoUnblock", "GoEnd", "GoSched", "ProcStart",
            "ProcStop", "Steal", "Handoff", "TimerFire", "GoSyscall", "GoStatus");

    /*
     * Contract for callers (the scheduler, channels, sync, timers):
     *  C1 an event with p >= 0 is emitted by the thread that currently holds P p (its M, or the
     *     goroutine mounted on it); any other thread passes p = -1. A recorder may rely on this
     *     for speed but must stay correct when it is broken (see TraceRecorder).
     *  C2 GO_CREATE is emitted by the creating thread, inside newproc, before the new goroutine
     *     can run (so before it can create goroutines of its own). The leak tracker
     *     (internal.trace.CreationTracker) relies on this to attribute a goroutine to the thread
     *     that started it and, transitively, to its ancestors. Use the overload with the name.
     *  C3 a sink is called on the hot path of the scheduler: it must not block, park or throw.
     */

    /**
     * A time for {@link #emitAt} meaning "no clock read for this event": the recorder keeps its
     * place in P p's buffer and the reader puts it between the timed events around it (TraceData,
     * "Untimed events"). For events with p &gt;= 0 inside a slice whose ends are timed: GoUnblock,
     * which the waker emits mid-slice. A clock read is 25 ns on the build VM, a goroutine switch
     * 150-300; two reads a switch were most of the tracer's cost.
     */
    public static final long UNTIMED = -1;

    /** true while a trace is being recorded. */
    public static volatile boolean on;
    private static volatile Sink sink;

    /** Where events go. Implementations must be thread-safe and must not block. */
    public interface Sink {
        void event(int kind, int p, long goid, long arg);

        /** An event that carries a string (GO_CREATE: the goroutine's name). */
        default void event(int kind, int p, long goid, long arg, String name) {
            event(kind, p, goid, arg);
        }

        /**
         * An event at {@code ts} (System.nanoTime), now if ts is 0, or without a time of its own
         * if ts is {@link #UNTIMED}; returns the time used, or 0 if this sink read no clock. Lets two events of one scheduler switch
         * share a clock read (see {@link #emitAt}).
         */
        default long eventAt(int kind, int p, long goid, long arg, long ts) {
            event(kind, p, goid, arg);
            return 0;
        }
    }

    /** the sinks added with {@link #add}; copy-on-write, guarded by Trace.class. */
    private static Sink[] added = new Sink[0];

    /** Starts sending events to {@code s} alone (null: stops), replacing every other sink. */
    public static synchronized void install(Sink s) {
        added = s == null ? new Sink[0] : new Sink[] {s};
        sink = s;
        on = s != null;
    }

    /**
     * Adds {@code s} to the sinks receiving events (the execution-trace recorder, the JFR
     * forwarder and the leak tracker may be active together). Idempotent.
     */
    public static synchronized void add(Sink s) {
        for (Sink x : added) {
            if (x == s) {
                return;
            }
        }
        Sink[] a = java.util.Arrays.copyOf(added, added.length + 1);
        a[a.length - 1] = s;
        publish(a);
    }

    /** Removes {@code s}; tracing turns off when no sink is left. */
    public static synchronized void remove(Sink s) {
        Sink[] a = java.util.Arrays.stream(added).filter(x -> x != s).toArray(Sink[]::new);
        if (a.length != added.length) {
            publish(a);
        }
    }

    /** true if {@code s} currently receives events. */
    public static synchronized boolean isAdded(Sink s) {
        for (Sink x : added) {
            if (x == s) {
                return true;
            }
        }
        return false;
    }

    private static void publish(Sink[] a) {
        added = a;
        sink = a.length == 0 ? null : a.length == 1 ? a[0] : new Tee(a);
        on = a.length > 0;   // volatile write after sink: a hook that sees on=true sees a sink
    }

    /** Several sinks as one. */
    private record Tee(Sink[] sinks) implements Sink {
        @Override
        public void event(int kind, int p, long goid, long arg) {
            for (Sink s : sinks) {
                s.event(kind, p, goid, arg);
            }
        }

        @Override
        public void event(int kind, int p, long goid, long arg, String name) {
            for (Sink s : sinks) {
                s.event(kind, p, goid, arg, name);
            }
        }

        @Override
        public long eventAt(int kind, int p, long goid, long arg, long ts) {
            long used = 0;
            for (Sink s : sinks) {
                used = Math.max(used, s.eventAt(kind, p, goid, arg, ts));
            }
            return used;
        }
    }

    /** Records one event; call only after checking {@link #on}. */
    public static void emit(int kind, int p, long goid, long arg) {
        Sink s = sink;
        if (s != null) {
            s.event(kind, p, goid, arg);
        }
    }

    /**
     * Records one event at {@code ts} (a System.nanoTime value read moments ago by the same
     * thread), now if ts is 0, or untimed if ts is {@link #UNTIMED}, and returns the time used
     * (0 if no sink read a clock). The
     * scheduler passes the time of the GoBlock/GoSched that ended the previous goroutine to the
     * GoStart of the next one when the M took it straight from its own queue: the switch costs
     * tens of nanoseconds, a clock read costs 25 (most of an event's price).
     */
    public static long emitAt(int kind, int p, long goid, long arg, long ts) {
        Sink s = sink;
        return s != null ? s.eventAt(kind, p, goid, arg, ts) : 0;
    }

    /** Records one event carrying a string (GO_CREATE with the goroutine's name). */
    public static void emit(int kind, int p, long goid, long arg, String name) {
        Sink s = sink;
        if (s != null) {
            s.event(kind, p, goid, arg, name);
        }
    }
}
