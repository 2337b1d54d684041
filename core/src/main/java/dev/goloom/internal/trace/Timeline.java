package dev.goloom.internal.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace turned into what a timeline draws: for each P, the spans during which a goroutine ran
 * on it, and the instant events (create, unblock, steal, hand-off, timer). Both the HTML view and
 * the trace-event JSON are written from this.
 */
public final class Timeline {
    /* Implementation notes
     *
     * Overview
     *   One pass over the events in time order. running[p] is the span open on P p; onP maps a
     *   goroutine to the P it runs on. GO_START opens a span (closing the one open on that P, which
     *   then ended unseen: "descheduled"); GO_BLOCK, GO_SCHED, GO_END, GO_SYSCALL close the
     *   goroutine's span, with why; PROC_STOP and HANDOFF close whatever the P ran.
     *   Spans still open at the end close at the trace's end.
     *
     * Lineage
     *   Go's internal/trace (the "generation" parser and cmd/trace's per-P view), much simplified:
     *   no tasks, regions or GC.
     *
     * Invariants
     *   I1 at most one open span per P, and a goroutine is open on at most one P.
     *   I2 every span has start <= end.
     *
     * Ownership & locking: single-threaded, built once per tool run.
     * Memory ordering: none needed (confined).
     * Rejected alternatives: rows per goroutine (Go's goroutine view) do not scale to 100k
     *   goroutines in a page; one row per P is what the issue asks.
     */

    /** A goroutine running on P {@code p} from {@code start} to {@code end} (ns); {@code why} it stopped. */
    public record Span(int p, long goid, long start, long end, String why) {
    }

    /** An instant on P {@code p} (-1: off any P). */
    public record Instant(int p, long ts, int kind, long goid, long arg) {
    }

    public final int procs;
    public final List<Span> spans = new ArrayList<>();
    public final List<Instant> instants = new ArrayList<>();
    public final long end;
    public final TraceData data;

    public Timeline(TraceData d) {
        this.data = d;
        int maxP = Math.max(1, d.maxProcs());
        long last = 0;
        for (TraceData.Event e : d.events()) {
            maxP = Math.max(maxP, e.p() + 1);
            last = Math.max(last, e.ts());
        }
        this.procs = maxP;
        this.end = Math.max(last, d.endTs());
        build(d);
    }

    private void build(TraceData d) {
        long[] runG = new long[procs];
        long[] runStart = new long[procs];
        Map<Long, Integer> onP = new HashMap<>();
        for (TraceData.Event e : d.events()) {
            int p = e.p();
            switch (e.kind()) {
                case Trace.GO_START -> {
                    if (p < 0) {
                        break;
                    }
                    close(runG, runStart, onP, p, e.ts(), "descheduled");
                    Integer was = onP.get(e.goid());
                    if (was != null) {
                        close(runG, runStart, onP, was, e.ts(), "migrated");   // keeps I1
                    }
                    runG[p] = e.goid();
                    runStart[p] = e.ts();
                    onP.put(e.goid(), p);
                }
                case Trace.GO_BLOCK, Trace.GO_SCHED, Trace.GO_END, Trace.GO_SYSCALL -> {
                    Integer q = onP.get(e.goid());
                    if (q != null) {
                        close(runG, runStart, onP, q, e.ts(), why(d, e));
                    }
                    if (e.kind() == Trace.GO_SYSCALL) {
                        instants.add(new Instant(p, e.ts(), e.kind(), e.goid(), e.arg()));
                    }
                }
                case Trace.PROC_STOP, Trace.HANDOFF -> {
                    if (p >= 0) {
                        close(runG, runStart, onP, p, e.ts(), e.kind() == Trace.HANDOFF ? "handed off" : "proc stop");
                    }
                    if (e.kind() == Trace.HANDOFF) {
                        instants.add(new Instant(p, e.ts(), e.kind(), e.goid(), e.arg()));
                    }
                }
                case Trace.PROC_START, Trace.GO_STATUS -> {
                    // PROC_START: a P with no goroutine yet draws nothing; GO_STATUS: names only
                }
                default -> instants.add(new Instant(p, e.ts(), e.kind(), e.goid(), e.arg()));
            }
        }
        for (int p = 0; p < procs; p++) {
            close(runG, runStart, onP, p, end, "trace end");
        }
    }

    private static String why(TraceData d, TraceData.Event e) {
        return switch (e.kind()) {
            case Trace.GO_BLOCK -> {
                String r = d.reason(e.arg());
                yield r != null ? r : "blocked";
            }
            case Trace.GO_SCHED -> "yield";
            case Trace.GO_END -> "end";
            default -> "syscall";
        };
    }

    private void close(long[] runG, long[] runStart, Map<Long, Integer> onP, int p, long ts, String why) {
        long g = runG[p];
        if (g == 0) {
            return;
        }
        spans.add(new Span(p, g, runStart[p], Math.max(ts, runStart[p]), why));   // keeps I2
        runG[p] = 0;
        onP.remove(g);
    }

    /** The goroutine's name, or null. */
    public String name(long goid) {
        return data.names().get(goid);
    }

    /** The event kind's Go name. */
    public static String kindName(int kind) {
        return kind > 0 && kind < Trace.KIND_NAMES.size() ? Trace.KIND_NAMES.get(kind) : "Event" + kind;
    }

    /** A JSON string literal for {@code s}, safe to embed in an HTML script element. */
    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
