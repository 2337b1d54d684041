package dev.goloom.internal.sched;

import java.io.PrintStream;

/**
 * Go's panic rules for an exception that escapes a goroutine: print {@code panic: <exception>}
 * and the goroutine's trace on stderr; under {@code main(...)} the panic ends main, which
 * rethrows it; outside main the JDK's default UncaughtExceptionHandler (if one is set) sees it.
 */
final class Panics {
    private Panics() {
    }

    static void report(G g, Throwable t) {
        PrintStream err = System.err;
        StringBuilder sb = new StringBuilder();
        sb.append("panic: ").append(t).append("\n\ngoroutine ").append(g.goid).append(" [running]:\n");
        for (StackTraceElement e : Dumps.trim(t.getStackTrace())) {
            Dumps.frame(sb, e);
        }
        Throwable c = t.getCause();
        while (c != null && c != t) {
            sb.append("caused by: ").append(c).append('\n');
            for (StackTraceElement e : Dumps.trim(c.getStackTrace())) {
                Dumps.frame(sb, e);
            }
            t = c;
            c = c.getCause();
        }
        Dumps.createdBy(sb, g);
        synchronized (err) {
            err.print(sb);
            err.flush();
        }
    }

    static void afterPanic(Sched s, G g, Throwable t) {
        if (g.isMain) {
            return; // main() rethrows its own goroutine's panic
        }
        s.mainPanicked(t);
        Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
        if (h != null) {
            try {
                h.uncaughtException(Thread.currentThread(), t);
            } catch (Throwable ignored) {
                // a handler that throws must not kill the goroutine's carrier
            }
        }
    }

    /** {@code t} as an unchecked throwable, its cause kept. */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new RuntimeException(t.toString(), t);
    }
}
