package dev.goloom.internal.trace;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace file read back: its events in time order, the goroutine names and the wait-reason
 * strings. The tools (TraceTool's HTML view and trace-event JSON export) start from this.
 *
 * @param epochNanos wall-clock time of timestamp 0, in nanoseconds since the epoch
 * @param maxProcs   GOMAXPROCS when the trace started
 * @param events     every event, sorted by timestamp (stable: file order among equal stamps)
 * @param names      goroutine id to name
 * @param reasons    WaitReason ordinal to its Go words
 * @param endTs      the trace's end, relative to timestamp 0 (-1 if the file was cut short)
 */
public record TraceData(long epochNanos, int maxProcs, List<Event> events, Map<Long, String> names,
                        Map<Integer, String> reasons, long endTs) {

    /* Implementation notes
     *
     * Overview: one pass over the file; each 'E' batch is decoded into a list and added only
     *   when complete, so a file cut short by a crash yields its complete batches; untimed
     *   events are given times between their P's timed neighbours (placeUntimed); the events
     *   are then sorted by time (a stable sort keeps file order among equal stamps).
     * Invariants: I1 events() is sorted by ts; I2 an unknown tag or event kind is an IOException
     *   naming it (never a silent skip: the file would be misread from there on).
     * Ownership & locking, memory ordering: a value once built (immutable maps are not
     *   enforced; the tools do not mutate them).
     */

    /** One event: a timestamp in nanoseconds relative to the trace's start, and Trace's fields. */
    public record Event(long ts, int kind, int p, long goid, long arg) {
    }

    /** The wait reason's words for a GO_BLOCK or GO_STATUS arg, or null. */
    public String reason(long arg) {
        return arg < 0 ? null : reasons.get((int) arg);
    }

    /** Reads {@code file}; a file cut short (a crash) yields what was complete. */
    public static TraceData read(Path file) throws IOException {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(new DataInputStream(is));
        }
    }

    static TraceData read(DataInputStream in) throws IOException {
        byte[] magic = new byte[TraceFormat.MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, TraceFormat.MAGIC)) {
            throw new IOException("goloom trace: not a goloom trace file (bad magic)");
        }
        int version = in.read();
        if (version < TraceFormat.MIN_VERSION || version > TraceFormat.VERSION) {
            throw new IOException("goloom trace: unsupported version " + version);
        }
        long epoch = in.readLong();
        in.readLong();                                   // baseNanos: meaningful only in-process
        int maxProcs = (int) TraceFormat.uvarint(in);
        Map<Integer, String> strings = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Integer, String> reasons = new HashMap<>();
        List<Event> events = new ArrayList<>();
        long end = -1;
        try {
            int tag;
            while ((tag = in.read()) >= 0) {
                switch (tag) {
                    case TraceFormat.STRING -> {
                        int id = (int) TraceFormat.uvarint(in);
                        byte[] b = new byte[(int) TraceFormat.uvarint(in)];
                        in.readFully(b);
                        strings.put(id, new String(b, StandardCharsets.UTF_8));
                    }
                    case TraceFormat.REASON -> reasons.put((int) TraceFormat.uvarint(in),
                            strings.get((int) TraceFormat.uvarint(in)));
                    case TraceFormat.NAME -> names.put(TraceFormat.uvarint(in),
                            strings.get((int) TraceFormat.uvarint(in)));
                    case TraceFormat.EVENTS -> readBatch(in, events);
                    case TraceFormat.END -> end = TraceFormat.svarint(in);
                    default -> throw new IOException("goloom trace: unknown record tag " + tag);
                }
            }
        } catch (EOFException truncated) {
            // a trace cut short keeps its complete records
        }
        placeUntimed(events);
        events.sort(Comparator.comparingLong(Event::ts));
        return new TraceData(epoch, maxProcs, events, names, reasons, end);
    }

    private static void readBatch(DataInputStream in, List<Event> events) throws IOException {
        int p = (int) TraceFormat.svarint(in);
        int n = (int) TraceFormat.uvarint(in);
        List<Event> batch = new ArrayList<>(n);
        long ts = 0;
        for (int i = 0; i < n; i++) {
            int kind = in.read();
            if (kind < 0) {
                throw new EOFException();
            }
            boolean untimed = (kind & TraceFormat.UNTIMED_BIT) != 0;
            kind &= ~TraceFormat.UNTIMED_BIT;
            if (kind == 0 || kind > Trace.MAX_KIND) {
                throw new IOException("goloom trace: unknown event kind " + kind);
            }
            if (!untimed) {
                ts += TraceFormat.svarint(in);
            }
            long goid = TraceFormat.uvarint(in);
            long arg = TraceFormat.svarint(in);
            batch.add(new Event(untimed ? UNPLACED : ts, kind, p, goid, arg));
        }
        events.addAll(batch);                            // a batch counts only when complete
    }

    /** the ts of an untimed event until placeUntimed gives it one. */
    private static final long UNPLACED = Long.MIN_VALUE;

    /*
     * Untimed events (Trace.UNTIMED: GoUnblock, emitted by the waker mid-slice without a clock
     * read of its own). Each lies, in its P's event order, between two timed events lo and hi,
     * and happened between them. It gets lo + (hi - lo) * j / (k + 1) as the j-th of k such
     * events (so the P's order is kept), then, for a GoUnblock, no later than 1 ns before the
     * unblocked goroutine's first GoStart at or after lo (a goroutine starts after it is readied;
     * an even spread could put the arrow after the start it caused), and never before lo. An
     * untimed event after its P's last timed one (the trace stopped mid-slice) gets that event's
     * time, its earliest possible one; one before its P's first timed event gets that event's.
     */
    private static void placeUntimed(List<Event> events) {
        Map<Integer, List<Integer>> pending = new HashMap<>();   // p -> indexes awaiting a hi
        Map<Integer, Long> lastTimed = new HashMap<>();
        List<long[]> placed = new ArrayList<>();                  // {index, lo, t}
        for (int i = 0; i < events.size(); i++) {                // file order = each P's order
            Event e = events.get(i);
            if (e.ts() == UNPLACED) {
                pending.computeIfAbsent(e.p(), k -> new ArrayList<>()).add(i);
                continue;
            }
            List<Integer> wait = pending.remove(e.p());
            Long lo = lastTimed.put(e.p(), e.ts());
            if (wait != null) {
                spread(wait, lo == null ? e.ts() : lo, e.ts(), placed);
            }
        }
        for (Map.Entry<Integer, List<Integer>> w : pending.entrySet()) {
            Long lo = lastTimed.get(w.getKey());
            long t = lo != null ? lo : 0;
            spread(w.getValue(), t, t, placed);
        }
        if (placed.isEmpty()) {
            return;
        }
        Map<Long, List<Long>> starts = new HashMap<>();           // goid -> its GoStart times
        for (long[] u : placed) {
            Event e = events.get((int) u[0]);
            if (e.kind() == Trace.GO_UNBLOCK) {
                starts.putIfAbsent(e.goid(), new ArrayList<>());
            }
        }
        for (Event e : events) {
            List<Long> st = e.kind() == Trace.GO_START ? starts.get(e.goid()) : null;
            if (st != null) {
                st.add(e.ts());
            }
        }
        for (List<Long> st : starts.values()) {
            st.sort(null);
        }
        for (long[] u : placed) {
            int i = (int) u[0];
            Event e = events.get(i);
            long t = u[2];
            if (e.kind() == Trace.GO_UNBLOCK) {
                Long start = firstAtOrAfter(starts.get(e.goid()), u[1]);
                if (start != null && start <= t) {
                    t = Math.max(u[1], start - 1);
                }
            }
            events.set(i, new Event(t, e.kind(), e.p(), e.goid(), e.arg()));
        }
    }

    private static void spread(List<Integer> idx, long lo, long hi, List<long[]> placed) {
        int k = idx.size();
        for (int j = 0; j < k; j++) {
            placed.add(new long[] {idx.get(j), lo, lo + (hi - lo) * (j + 1) / (k + 1)});
        }
    }

    private static Long firstAtOrAfter(List<Long> sorted, long lo) {
        int a = 0;
        int b = sorted.size();
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (sorted.get(mid) < lo) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        return a < sorted.size() ? sorted.get(a) : null;
    }
}
