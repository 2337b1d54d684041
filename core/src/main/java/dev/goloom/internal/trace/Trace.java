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

    /** true while a trace is being recorded. */
    public static volatile boolean on;
    private static volatile Sink sink;

    /** Where events go. Implementations must be thread-safe and must not block. */
    public interface Sink {
        void event(int kind, int p, long goid, long arg);
    }

    /** Starts sending events to {@code s} (null: stops). */
    public static void install(Sink s) {
        sink = s;
        on = s != null;
    }

    /** Records one event; call only after checking {@link #on}. */
    public static void emit(int kind, int p, long goid, long arg) {
        Sink s = sink;
        if (s != null) {
            s.event(kind, p, goid, arg);
        }
    }
}
