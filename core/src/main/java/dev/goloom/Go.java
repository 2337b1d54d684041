package dev.goloom;

/**
 * Go's {@code go} statement and the {@code runtime} package functions, over
 * {@link GoRuntime#global()}.
 *
 * {@snippet :
 * import static dev.goloom.Go.go;
 *
 * Go.main(() -> {
 *     Chan<String> messages = Chan.make();
 *     go(() -> messages.send("ping"));
 *     System.out.println(messages.recv());
 * });
 * }
 *
 * <h2>Panics</h2>
 * An exception that escapes a goroutine is a panic: goloom prints {@code panic: <exception>} and
 * the goroutine's trace on stderr. Under {@link #main(Task)} it also ends main, which throws it.
 */
public final class Go {
    private Go() {
    }

    /** Starts a goroutine: Go's {@code go body()}. NullPointerException if {@code body} is null. */
    public static Goroutine go(Task body) {
        return GoRuntime.global().go(body);
    }

    /** Starts a named goroutine. */
    public static Goroutine go(String name, Task body) {
        return GoRuntime.global().go(name, body);
    }

    /** Runs {@code body} as the main goroutine and waits; see {@link GoRuntime#main(Task)}. */
    public static void main(Task body) {
        GoRuntime.global().main(body);
    }

    /** Yields the processor, letting other goroutines run: Go's {@code runtime.Gosched}. */
    public static void gosched() {
        dev.goloom.internal.sched.Sched.gosched();
    }

    /** The number of live goroutines: Go's {@code runtime.NumGoroutine}. */
    public static int numGoroutine() {
        return GoRuntime.global().numGoroutine();
    }

    /** GOMAXPROCS of the global runtime. */
    public static int maxProcs() {
        return GoRuntime.global().maxProcs();
    }

    /** Sets GOMAXPROCS of the global runtime; returns the previous value. */
    public static int maxProcs(int n) {
        return GoRuntime.global().maxProcs(n);
    }

    /** The calling goroutine, or null when called from a thread that is not a goroutine. */
    public static Goroutine current() {
        return dev.goloom.internal.sched.G.current();
    }

    /** Every goroutine of the global runtime in Go's traceback format. */
    public static String dump() {
        return GoRuntime.global().dump();
    }
}
