package dev.goloom.internal.trace;

import dev.goloom.internal.sched.WaitReason;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.StackTrace;

/**
 * goloom's scheduler events as JFR events, so JDK Mission Control (and {@code jfr print}) show
 * goroutine creation, blocking with Go's wait reason, unblocking, hand-offs and steals next to
 * the JVM's own events. Event names: {@code dev.goloom.GoroutineCreate},
 * {@code dev.goloom.GoroutineBlock}, {@code dev.goloom.GoroutineUnblock},
 * {@code dev.goloom.Handoff}, {@code dev.goloom.Steal}; all in the "goloom" category, enabled by
 * default in any recording ({@code jfr configure} or a .jfc file may switch them off).
 */
public final class JfrBridge implements Trace.Sink {
    /* Implementation notes
     *
     * Overview
     *   A FlightRecorderListener (registered once, when the first runtime starts) re-evaluates on
     *   every recording state change whether any of our event types is enabled in a running
     *   recording; if so this sink is added to Trace's sinks, else removed. So with no recording
     *   the hooks cost what they cost with tracing off: one volatile read.
     *   Each event is created, checked with shouldCommit() (enabled, threshold) and committed.
     *
     * Lineage
     *   The JDK's own jdk.VirtualThreadStart/End/Pinned events; Go's trace events of the same
     *   names.
     *
     * Invariants
     *   I1 the sink is in Trace's list iff the last evaluation found a running recording with one
     *      of our events enabled.
     *
     * Ownership & locking: watch() is synchronized on the class (registers once); update() takes
     *   no lock of its own around JFR calls (JFR may call listeners under its recorder lock; a
     *   lock of ours around getRecordings() could deadlock with that) and re-checks instead.
     * Memory ordering: Trace.add/remove publish through Trace's volatile fields.
     * Rejected alternatives: committing from a background thread fed by the trace buffers
     *   (timestamps and threads would be wrong); stack traces on every event (JFR walks the stack
     *   of a virtual thread in the middle of a park: costly and not useful, so they are off).
     */
    private JfrBridge() {
    }

    private static final JfrBridge SINK = new JfrBridge();
    private static boolean watching;   // guarded by JfrBridge.class

    /** Starts following JFR recordings (idempotent, cheap: does not start JFR). */
    static synchronized void watch() {
        if (watching) {
            return;
        }
        watching = true;
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recordingStateChanged(Recording recording) {
                    update();
                }
            });
            if (FlightRecorder.isInitialized()) {
                update();
            }
        } catch (RuntimeException | LinkageError e) {
            // JFR unavailable in this JVM: nothing to bridge to
        }
    }

    /**
     * Adds or removes the sink by whether a running recording has one of our events on (I1).
     * Not synchronized: JFR may call the listener while holding its own recorder lock, and a
     * lock of ours taken around JFR calls could then deadlock with it. Concurrent updates are
     * settled by the re-check: each ends by re-reading the state it acted on.
     */
    static void update() {
        for (int i = 0; i < 3; i++) {
            boolean want = wanted();
            if (want) {
                Trace.add(SINK);
            } else {
                Trace.remove(SINK);
            }
            if (wanted() == want) {
                return;
            }
        }
    }

    private static boolean wanted() {
        boolean want = false;
        if (FlightRecorder.isInitialized()) {
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == RecordingState.RUNNING) {
                    want = true;
                    break;
                }
            }
        }
        want = want && (EventType.getEventType(GoroutineBlock.class).isEnabled()
                || EventType.getEventType(GoroutineCreate.class).isEnabled()
                || EventType.getEventType(GoroutineUnblock.class).isEnabled()
                || EventType.getEventType(Handoff.class).isEnabled()
                || EventType.getEventType(Steal.class).isEnabled());
        return want;
    }

    /** true while JFR events are being forwarded (tests). */
    public static boolean active() {
        return Trace.isAdded(SINK);
    }

    /** Re-checks the recordings now (tests; recording state changes do this by themselves). */
    public static void refresh() {
        watch();
        update();
    }

    private static final WaitReason[] REASONS = WaitReason.values();

    @Override
    public void event(int kind, int p, long goid, long arg) {
        event(kind, p, goid, arg, null);
    }

    @Override
    public void event(int kind, int p, long goid, long arg, String name) {
        switch (kind) {
            case Trace.GO_CREATE -> {
                GoroutineCreate e = new GoroutineCreate();
                if (e.shouldCommit()) {
                    e.goid = goid;
                    e.parent = arg;
                    e.name = name;
                    e.p = p;
                    e.commit();
                }
            }
            case Trace.GO_BLOCK -> {
                GoroutineBlock e = new GoroutineBlock();
                if (e.shouldCommit()) {
                    e.goid = goid;
                    e.reason = arg >= 0 && arg < REASONS.length ? REASONS[(int) arg].toString() : "unknown";
                    e.p = p;
                    e.commit();
                }
            }
            case Trace.GO_UNBLOCK -> {
                GoroutineUnblock e = new GoroutineUnblock();
                if (e.shouldCommit()) {
                    e.goid = goid;
                    e.waker = arg;
                    e.p = p;
                    e.commit();
                }
            }
            case Trace.HANDOFF -> {
                Handoff e = new Handoff();
                if (e.shouldCommit()) {
                    e.goid = goid;
                    e.p = p;
                    e.commit();
                }
            }
            case Trace.STEAL -> {
                Steal e = new Steal();
                if (e.shouldCommit()) {
                    e.p = p;
                    e.victim = (int) goid;
                    e.count = arg;
                    e.commit();
                }
            }
            default -> {
                // the other kinds are for the execution trace only
            }
        }
    }

    @Name("dev.goloom.GoroutineCreate")
    @Label("Goroutine Create")
    @Category("goloom")
    @Description("A goroutine was created (Go's go statement)")
    @StackTrace(false)
    static final class GoroutineCreate extends Event {
        @Label("Goroutine Id")
        long goid;
        @Label("Parent Goroutine Id")
        long parent;
        @Label("Name")
        String name;
        @Label("P")
        int p;
    }

    @Name("dev.goloom.GoroutineBlock")
    @Label("Goroutine Block")
    @Category("goloom")
    @Description("A goroutine parked in a goloom primitive, with Go's wait reason")
    @StackTrace(false)
    static final class GoroutineBlock extends Event {
        @Label("Goroutine Id")
        long goid;
        @Label("Wait Reason")
        String reason;
        @Label("P")
        int p;
    }

    @Name("dev.goloom.GoroutineUnblock")
    @Label("Goroutine Unblock")
    @Category("goloom")
    @Description("A parked goroutine was made runnable")
    @StackTrace(false)
    static final class GoroutineUnblock extends Event {
        @Label("Goroutine Id")
        long goid;
        @Label("Waker Goroutine Id")
        long waker;
        @Label("P")
        int p;
    }

    @Name("dev.goloom.Handoff")
    @Label("P Handoff")
    @Category("goloom")
    @Description("sysmon took a P from an M stuck in a goroutine and gave it to another M")
    @StackTrace(false)
    static final class Handoff extends Event {
        @Label("Goroutine Id")
        long goid;
        @Label("P")
        int p;
    }

    @Name("dev.goloom.Steal")
    @Label("Work Steal")
    @Category("goloom")
    @Description("A P stole goroutines from another P's run queue")
    @StackTrace(false)
    static final class Steal extends Event {
        @Label("P")
        int p;
        @Label("Victim P")
        int victim;
        @Label("Goroutines")
        long count;
    }
}
