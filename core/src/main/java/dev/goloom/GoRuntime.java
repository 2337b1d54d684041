package dev.goloom;

import dev.goloom.internal.sched.Sched;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * A goloom runtime: a GMP scheduler with its Ps, Ms and goroutines. Most programs use the one
 * behind {@link Go} ({@link #global()}); a runtime of one's own (from {@link #builder()}) isolates
 * a subsystem or a test and is closed with {@link #close()}.
 *
 * {@snippet :
 * try (GoRuntime rt = GoRuntime.builder().maxProcs(2).name("workers").build()) {
 *     rt.main(() -> {
 *         Chan<String> ch = Chan.make();
 *         rt.go(() -> ch.send("hello"));
 *         System.out.println(ch.recv());
 *     });
 * }
 * }
 *
 * <h2>Memory consistency effects</h2>
 * Actions in a thread before {@link #go(Task)} happen-before the goroutine's body starts (Go: the
 * {@code go} statement synchronizes before the goroutine's execution begins).
 */
public final class GoRuntime implements AutoCloseable {
    private static volatile GoRuntime global;

    private final Sched sched;

    private GoRuntime(String name, int maxProcs) {
        this.sched = new Sched(name, maxProcs);
        if (sched.isGmp()) {
            Warmup.startOnce();
        }
        dev.goloom.internal.trace.RuntimeHooks.started(this, sched);   // debug tooling (issue 7)
    }

    /** The default runtime, started on first use; GOMAXPROCS comes from the environment or the core count. */
    public static GoRuntime global() {
        GoRuntime g = global;
        if (g == null) {
            synchronized (GoRuntime.class) {
                g = global;
                if (g == null) {
                    global = g = new GoRuntime("global", defaultMaxProcs());
                }
            }
        }
        return g;
    }

    /** GOMAXPROCS: the environment variable (or -Dgoloom.maxprocs) if set and valid, else the core count. */
    static int defaultMaxProcs() {
        String s = System.getProperty("goloom.maxprocs", System.getenv("GOMAXPROCS"));
        if (s != null) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // Go ignores a malformed GOMAXPROCS too
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a goroutine running {@code body}: Go's {@code go body()}. */
    public Goroutine go(Task body) {
        return sched.newproc(null, body);
    }

    /** Starts a named goroutine (the name shows in dumps and traces). */
    public Goroutine go(String name, Task body) {
        return sched.newproc(name, body);
    }

    /**
     * Runs {@code body} as the main goroutine and waits for it. Rethrows its exception (an
     * unchecked one as is, a checked one wrapped, cause kept); a panic in any other goroutine
     * ends main too and is rethrown; throws {@link DeadlockError} when every goroutine is asleep.
     */
    public void main(Task body) {
        sched.main(body);
    }

    public int numGoroutine() {
        return sched.numGoroutine();
    }

    public int maxProcs() {
        return sched.maxProcs();
    }

    /** Sets GOMAXPROCS; returns the previous value. IllegalArgumentException if {@code n < 1}. */
    public int maxProcs(int n) {
        return sched.maxProcs(n);
    }

    /** A snapshot of every live goroutine, by id. */
    public List<GoroutineInfo> goroutines() {
        return sched.goroutines();
    }

    /** Every goroutine in Go's traceback format. */
    public String dump() {
        return sched.dump();
    }

    public SchedStats schedStats() {
        return sched.schedStats();
    }

    /** An ExecutorService each of whose tasks runs as a goroutine of this runtime. */
    public ExecutorService executor() {
        return new GoExecutor(sched);
    }

    /** A ThreadFactory each of whose threads is a goroutine of this runtime. */
    public ThreadFactory threadFactory() {
        return sched::newThread;
    }

    /**
     * Stops accepting goroutines, waits for the live ones to end, then stops the carriers. After
     * it begins, {@code go()} throws {@link IllegalStateException} ("goloom: runtime 'NAME' is
     * closed"). Like {@link java.util.concurrent.ExecutorService#close()}: if the calling thread
     * is interrupted while waiting, every live goroutine is interrupted (a goroutine blocked in a
     * goloom primitive gets {@link GoInterruptedException}) and close() keeps waiting; it returns
     * with the interrupt flag set. Called from one of the runtime's own goroutines, it waits for
     * all the others.
     */
    @Override
    public void close() {
        if (this == global) {
            throw new UnsupportedOperationException("goloom: the global runtime cannot be closed");
        }
        sched.close();
        dev.goloom.internal.trace.RuntimeHooks.closed(this);
    }

    // ------------------------------------------------------------------ seeing inside (issue 7)

    /**
     * Starts recording an execution trace to {@code file}: Go's {@code trace.Start}. Events
     * (goroutine create/start/block with reason/unblock/end, proc start/stop, steal, hand-off,
     * timers) go to per-P buffers and a background writer; {@code ./goloom trace view FILE}
     * draws them. One trace at a time per JVM (it records every runtime of the JVM).
     * {@code -Dgoloom.trace=FILE} does the same from the first runtime's start to JVM exit.
     *
     * @throws IllegalStateException if a trace is already being recorded
     * @throws java.io.UncheckedIOException if the file cannot be created
     */
    public void startTrace(java.nio.file.Path file) {
        java.util.Objects.requireNonNull(file, "file");
        dev.goloom.internal.trace.TraceRecorder.start(file, sched.maxProcs(), sched.allGs());
    }

    /**
     * Stops the trace started by {@link #startTrace} and completes its file: Go's
     * {@code trace.Stop}. Returns once every buffered event is written. No-op when no trace runs.
     */
    public void stopTrace() {
        dev.goloom.internal.trace.TraceRecorder.stopActive();
    }

    /**
     * The partial deadlocks now present: each element is a cycle of goroutines each of which is
     * blocked waiting for a lock the next one holds (Mutex, RWMutex), so none of them can ever
     * proceed, even while the rest of the program runs. Empty when there is none. Cycles through
     * channels cannot be told from the wait-for graph alone (any goroutine holding the channel
     * may still act); {@code dev.goloom.debug.Deadlocks#leaked} finds goroutines blocked on
     * channels and locks that nothing live can reach, channel cycles included, with the GC's
     * proof. See {@code dev.goloom.debug.Deadlocks}.
     */
    public List<List<GoroutineInfo>> deadlocks() {
        return dev.goloom.debug.Deadlocks.find(this);
    }

    /** The engine behind this runtime (for goloom's own tooling). */
    Sched sched() {
        return sched;
    }

    @Override
    public String toString() {
        return "GoRuntime[" + sched.name() + ", maxProcs=" + sched.maxProcs() + "]";
    }

    /** Builds a runtime of one's own. */
    public static final class Builder {
        private int maxProcs = defaultMaxProcs();
        private String name = "goloom";

        private Builder() {
        }

        /** GOMAXPROCS for the runtime; IllegalArgumentException if {@code n < 1}. */
        public Builder maxProcs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("goloom: maxProcs must be at least 1, got " + n);
            }
            this.maxProcs = n;
            return this;
        }

        public Builder name(String name) {
            this.name = java.util.Objects.requireNonNull(name, "name");
            return this;
        }

        public GoRuntime build() {
            return new GoRuntime(name, maxProcs);
        }
    }
}
