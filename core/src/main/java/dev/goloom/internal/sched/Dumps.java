package dev.goloom.internal.sched;

import dev.goloom.GoroutineInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's traceback format for {@code dump()}: a header {@code goroutine 7 [chan receive, 2 minutes]:},
 * the stack innermost first with goloom's and the JDK's scheduling frames trimmed (as Go hides
 * runtime frames), the {@code created by} line, and a blank line.
 */
public final class Dumps {
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
        List<StackTraceElement> out = new ArrayList<>(st.length);
        for (StackTraceElement e : st) {
            if (!hidden(e)) {
                out.add(e);
            }
        }
        return out.toArray(new StackTraceElement[0]);
    }

    static void frame(StringBuilder sb, StackTraceElement e) {
        sb.append(e.getClassName()).append('.').append(e.getMethodName()).append("(...)\n\t");
        if (e.getFileName() != null) {
            sb.append(e.getFileName());
            if (e.getLineNumber() >= 0) {
                sb.append(':').append(e.getLineNumber());
            }
        } else {
            sb.append("?");
        }
        sb.append('\n');
    }

    static void createdBy(StringBuilder sb, G g) {
        StackTraceElement c = g.createdBy;
        if (c != null) {
            sb.append("created by ").append(c.getClassName());
            if (g.parentGoid > 0) {
                sb.append(" in goroutine ").append(g.parentGoid);
            }
            sb.append('\n');
        }
    }

    /** The header's bracket: the wait reason or state, plus ", N minutes" past one minute. */
    public static String bracket(GoroutineInfo i) {
        long min = i.waitingFor().toMinutes();
        return min >= 1 ? i.waitReason() + ", " + min + (min == 1 ? " minute" : " minutes") : i.waitReason();
    }

    public static String format(List<GoroutineInfo> gs, Sched s) {
        StringBuilder sb = new StringBuilder(gs.size() * 256);
        for (GoroutineInfo i : gs) {
            sb.append("goroutine ").append(i.id()).append(" [").append(bracket(i)).append("]:\n");
            for (StackTraceElement e : i.stack()) {
                frame(sb, e);
            }
            G g = s.allgs.get(i.id());
            if (g != null) {
                createdBy(sb, g);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
