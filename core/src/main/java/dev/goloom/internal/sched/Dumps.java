package dev.goloom.internal.sched;

import dev.goloom.GoroutineInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's traceback format for {@code dump()}, and the grouped form of Go's
 * {@code /debug/pprof/goroutine?debug=1}.
 *
 * <pre>
 * goroutine 7 [chan receive, 3 minutes]:
 * # labels: {"name":"worker"}
 * com.example.Pipeline.stage(...)
 * 	Pipeline.java:42
 * com.example.Pipeline.lambda$start$0(...)
 * 	Pipeline.java:30
 * created by com.example.Pipeline.start in goroutine 1
 * 	Pipeline.java:30
 *
 * </pre>
 * The header carries the wait reason (or state) and, past one minute, how long the goroutine
 * has waited; the label line appears only when the goroutine was given a name; the stack is
 * innermost first, with goloom's and the JDK's scheduling frames trimmed, as Go hides runtime
 * frames; then {@code created by}, and a blank line. After the goroutines, one line per partial
 * deadlock (a cycle of goroutines each parked on a lock the next one holds), e.g.
 * {@code partial deadlock: goroutine 5 -> goroutine 6 -> goroutine 5: each waits for a lock the next holds}.
 */
public final class Dumps {
    /* Implementation notes
     *
     * Overview
     *   format() writes Go's debug=2 traceback; grouped() Go's debug=1 profile: goroutines with
     *   the same wait reason and the same trimmed stack are printed once, with a count, most
     *   numerous first. Both take GoroutineInfo snapshots (Sched.goroutines) and look the g up in
     *   allgs for created-by and the parent id.
     *
     * Lineage
     *   golang/go src/runtime/traceback.go (goroutineheader, traceback1, printcreatedby),
     *   src/runtime/pprof/pprof.go (printCountProfile: "goroutine profile: total N", "N @ ...",
     *   "#\t" frame lines, "# labels:").
     *   Deviations: Java frames have no PCs, so "+0x1d" offsets and the "@ 0x..." address list are
     *   replaced by the wait reason in brackets; the file has no directory.
     *
     * Invariants
     *   I1 every goroutine block ends with exactly one blank line (tools split on it).
     *   I2 grouped() counts add up to the number of goroutines given ("total N").
     *
     * Ownership & locking: stateless; the GoroutineInfo lists are snapshots.
     * Memory ordering: reads g fields (final or volatile) only.
     * Rejected alternatives
     *   Capturing stacks in parallel: on two cores it only adds contention, and the cost is the
     *   JDK's per-thread stack walk either way (about 5-10 us for a parked virtual thread).
     */
    private Dumps() {
    }

    /** true for frames a reader of a dump does not need: the machinery under a blocking call. */
    static boolean hidden(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("dev.goloom.internal.")
                || c.startsWith("java.lang.VirtualThread")
                || c.startsWith("jdk.internal.vm.Continuation")
                || c.startsWith("java.util.concurrent.locks.LockSupport")
                || c.startsWith("jdk.internal.misc.Unsafe")
                || c.startsWith("jdk.internal.misc.VirtualThreads")
                || c.equals("java.lang.System$1") && e.getMethodName().startsWith("parkVirtualThread")
                || c.equals("java.lang.Thread") && (e.getMethodName().equals("run")
                        || e.getMethodName().equals("runWith"));
    }

    /** True when the stack shows a goroutine parked in the JDK's socket I/O (Go's "IO wait"). */
    static boolean inSocketIo(StackTraceElement[] st) {
        for (StackTraceElement e : st) {
            String c = e.getClassName();
            if (c.startsWith("sun.nio.ch.") || c.startsWith("java.net.Socket")
                    || c.startsWith("sun.nio.ch.NioSocketImpl")) {
                return true;
            }
        }
        return false;
    }

    /** The stack with the hidden frames removed. */
    public static StackTraceElement[] trim(StackTraceElement[] st) {
        int keep = 0;
        for (StackTraceElement e : st) {
            if (!hidden(e)) {
                keep++;
            }
        }
        if (keep == st.length) {
            return st;
        }
        StackTraceElement[] out = new StackTraceElement[keep];
        int i = 0;
        for (StackTraceElement e : st) {
            if (!hidden(e)) {
                out[i++] = e;
            }
        }
        return out;
    }

    /** One frame: {@code pkg.Class.method(...)} newline tab {@code File.java:123}. */
    static void frame(StringBuilder sb, StackTraceElement e) {
        sb.append(e.getClassName()).append('.').append(e.getMethodName()).append("(...)\n\t");
        location(sb, e);
        sb.append('\n');
    }

    private static void location(StringBuilder sb, StackTraceElement e) {
        if (e.getFileName() != null) {
            sb.append(e.getFileName());
            if (e.getLineNumber() >= 0) {
                sb.append(':').append(e.getLineNumber());
            }
        } else {
            sb.append(e.isNativeMethod() ? "native" : "?");
        }
    }

    /** Go's {@code created by pkg.f in goroutine N} and, when known, its location line. */
    static void createdBy(StringBuilder sb, G g) {
        StackTraceElement c = g.createdBy;
        if (c == null) {
            return;
        }
        sb.append("created by ").append(c.getClassName());
        if (!c.getMethodName().equals("go")) {          // "go" marks a lambda class, not a method
            sb.append('.').append(c.getMethodName());
        }
        if (g.parentGoid > 0) {
            sb.append(" in goroutine ").append(g.parentGoid);
        }
        sb.append('\n');
        if (c.getFileName() != null) {
            sb.append('\t');
            location(sb, c);
            sb.append('\n');
        }
    }

    /** true when the goroutine was given a name (not the default "goroutine-N"). */
    static boolean named(GoroutineInfo i) {
        String n = i.name();
        return n != null && !n.isEmpty() && !n.equals("goroutine-" + i.id());
    }

    /** The header's bracket: the wait reason or state, plus ", N minutes" past one minute. */
    public static String bracket(GoroutineInfo i) {
        long min = i.waitingFor().toMinutes();
        return min >= 1 ? i.waitReason() + ", " + min + (min == 1 ? " minute" : " minutes") : i.waitReason();
    }

    /**
     * Snapshots (stacks included) of those of {@code ids} alive in {@code s}, by id: only their
     * stacks are walked, not every goroutine's.
     */
    public static List<GoroutineInfo> infos(Sched s, java.util.Collection<Long> ids) {
        long now = Sched.nanoTime();
        List<GoroutineInfo> out = new ArrayList<>();
        java.util.Map<Long, G> byId = ids.size() > 8 ? byId(s, ids.size()) : null;
        for (Long id : new java.util.TreeSet<>(ids)) {
            G g = byId != null ? byId.get(id) : s.allgs.get(id);
            if (g != null) {
                out.add(Sched.info(g, now));
            }
        }
        return out;
    }

    /** Ids of the live goroutines of {@code s} (no stack walk). */
    public static java.util.Set<Long> liveIds(Sched s) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (G g : s.allgs.snapshot()) {
            ids.add(g.goid);
        }
        return ids;
    }

    /** The live goroutines of {@code s} by id (one walk of the registry). */
    private static java.util.Map<Long, G> byId(Sched s, int hint) {
        if (s == null) {
            return java.util.Map.of();
        }
        java.util.Map<Long, G> m = new java.util.HashMap<>(Math.max(16, hint * 2));
        for (G g : s.allgs.snapshot()) {
            m.put(g.goid, g);
        }
        return m;
    }

    /** Go's debug=2 dump of some of {@code s}'s goroutines (no partial-deadlock lines). */
    public static String formatSome(List<GoroutineInfo> gs, Sched s) {
        StringBuilder sb = new StringBuilder(Math.max(256, gs.size() * 96));
        java.util.Map<Long, G> byId = byId(s, gs.size());
        for (GoroutineInfo i : gs) {
            one(sb, i, byId.get(i.id()));
        }
        return sb.toString();
    }

    /** Go's debug=2 dump of {@code gs}, all of {@code s}'s goroutines, then the partial deadlocks. */
    public static String format(List<GoroutineInfo> gs, Sched s) {
        StringBuilder sb = new StringBuilder(Math.max(256, gs.size() * 96));
        java.util.Map<Long, G> byId = byId(s, gs.size());
        for (GoroutineInfo i : gs) {
            one(sb, i, byId.get(i.id()));
        }
        if (s != null) {
            partialDeadlocks(sb, s);
        }
        return sb.toString();
    }

    /** A line per lock cycle (goloom's addition to Go's dump; see dev.goloom.debug.Deadlocks). */
    static void partialDeadlocks(StringBuilder sb, Sched s) {
        for (List<G> cycle : dev.goloom.internal.trace.WaitForGraph.cycles(s)) {
            sb.append("partial deadlock: goroutine");
            for (int k = 0; k < cycle.size(); k++) {
                G g = cycle.get(k);
                sb.append(k == 0 ? " " : " -> goroutine ").append(g.goid);
            }
            sb.append(cycle.size() == 1 ? " waits for a lock it holds itself\n\n"
                    : " -> goroutine " + cycle.get(0).goid + ": each waits for a lock the next holds\n\n");
        }
    }

    /** One goroutine's block (header, label, stack, created by, blank line: I1). */
    public static void one(StringBuilder sb, GoroutineInfo i, G g) {
        sb.append("goroutine ").append(i.id()).append(" [").append(bracket(i)).append("]:\n");
        if (g != null ? g.name != null && !g.name.equals("goroutine-" + g.goid) : named(i)) {
            sb.append("# labels: {\"name\":").append(quote(i.name())).append("}\n");
        }
        for (StackTraceElement e : i.stack()) {
            frame(sb, e);
        }
        if (g != null) {
            createdBy(sb, g);
        }
        sb.append('\n');
    }

    /**
     * Go's {@code debug=1} goroutine profile: a {@code goroutine profile: total N} line, then for
     * each distinct (wait reason, stack) the count and the frames, most numerous first (I2).
     *
     * <pre>
     * goroutine profile: total 1003
     * 1000 @ [chan receive]
     * #	com.example.Worker.run	Worker.java:17
     * #	com.example.Main.lambda$main$0	Main.java:9
     *
     * </pre>
     */
    public static String grouped(List<GoroutineInfo> gs) {
        Map<Key, int[]> groups = new LinkedHashMap<>();
        for (GoroutineInfo i : gs) {
            groups.computeIfAbsent(new Key(i.waitReason(), i.stack()), k -> new int[1])[0]++;
        }
        List<Map.Entry<Key, int[]>> es = new ArrayList<>(groups.entrySet());
        es.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        StringBuilder sb = new StringBuilder(64 + es.size() * 256);
        sb.append("goroutine profile: total ").append(gs.size()).append('\n');
        for (Map.Entry<Key, int[]> e : es) {
            sb.append(e.getValue()[0]).append(" @ [").append(e.getKey().reason).append("]\n");
            for (StackTraceElement f : e.getKey().stack) {
                sb.append("#\t").append(f.getClassName()).append('.').append(f.getMethodName()).append('\t');
                location(sb, f);
                sb.append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A group key: StackTraceElement has value equality, so arrays compare element-wise. */
    private record Key(String reason, StackTraceElement[] stack) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.reason.equals(reason) && Arrays.equals(k.stack, stack);
        }

        @Override
        public int hashCode() {
            return reason.hashCode() * 31 + Arrays.hashCode(stack);
        }
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
