package dev.goloom.debug;

import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
import dev.goloom.internal.sched.Dumps;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import dev.goloom.internal.trace.CreationTracker;
import dev.goloom.internal.trace.RuntimeHooks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who started which goroutine, and dumps of a chosen set of goroutines: the public view of
 * goloom's goroutine registry for tools (the JUnit leak extension, the debug endpoint, your
 * own). Go has no such API (its tooling reads {@code runtime/pprof}); the nearest is the
 * {@code created by ... in goroutine N} line of a traceback.
 *
 * {@snippet :
 * try (Goroutines.Tracker t = Goroutines.track()) {
 *     startWorkers();                        // goroutines started here, and by them, are t's
 *     shutdownWorkers();
 *     if (!t.alive().isEmpty()) {
 *         System.err.print(t.dump());        // Go's traceback format
 *     }
 * }
 * }
 *
 * <h2>Memory consistency effects</h2>
 * Every method returns a snapshot; a goroutine may start, park or end right after it was taken.
 */
public final class Goroutines {
    private Goroutines() {
    }

    /**
     * Where a goroutine came from.
     *
     * @param id        the goroutine's id
     * @param name      its name
     * @param parentId  the id of the goroutine that ran {@code go}, or 0 when a plain thread did
     * @param createdBy the frame that started it (Go's {@code created by}), or null
     */
    public record Origin(long id, String name, long parentId, StackTraceElement createdBy) {
    }

    /** The origin of live goroutine {@code id} of {@code rt}, if it is alive. */
    public static Optional<Origin> origin(GoRuntime rt, long id) {
        G g = sched(rt).allGs().stream().filter(x -> x.id() == id).findFirst().orElse(null);
        return g == null ? Optional.empty() : Optional.of(originOf(g));
    }

    /** The origins of every live goroutine of {@code rt}, by id. */
    public static List<Origin> origins(GoRuntime rt) {
        List<Origin> out = new ArrayList<>();
        for (G g : sched(rt).allGs()) {
            out.add(originOf(g));
        }
        return out;
    }

    private static Origin originOf(G g) {
        return new Origin(g.id(), g.name(), g.parentId(), g.createdBy());
    }

    /**
     * Snapshots of those of {@code ids} that are alive in {@code rt}, by id. Only their stacks are
     * walked (a stack walk costs about 5-10 us a goroutine).
     */
    public static List<GoroutineInfo> info(GoRuntime rt, Collection<Long> ids) {
        return Dumps.infos(sched(rt), ids);
    }

    /** Ids of the live goroutines of {@code rt}: cheap, no stack is walked. */
    public static Set<Long> liveIds(GoRuntime rt) {
        return Dumps.liveIds(sched(rt));
    }

    /** Go's traceback dump of those of {@code ids} that are alive in {@code rt}. */
    public static String dump(GoRuntime rt, Collection<Long> ids) {
        return Dumps.formatSome(info(rt, ids), sched(rt));
    }

    /** Go's traceback dump of the given snapshots (of {@code rt}'s goroutines). */
    public static String format(GoRuntime rt, List<GoroutineInfo> infos) {
        return Dumps.formatSome(infos, sched(rt));
    }

    /**
     * Go's {@code /debug/pprof/goroutine?debug=1} form of {@code rt}'s goroutines: identical
     * (wait reason, stack) pairs once, with a count.
     */
    public static String dumpGrouped(GoRuntime rt) {
        return Dumps.grouped(rt.goroutines());
    }

    /** Every runtime of this JVM that has started (the global one once it exists). */
    public static List<GoRuntime> runtimes() {
        return RuntimeHooks.runtimes();
    }

    static Sched sched(GoRuntime rt) {
        return RuntimeHooks.sched(rt);
    }

    /**
     * Starts attributing goroutines to the calling thread: those it creates from now on, in any
     * runtime, and transitively those they create. One tracker per thread at a time.
     */
    public static Tracker track() {
        return new Tracker(CreationTracker.open());
    }

    /**
     * The goroutines a thread started (transitively) since {@link #track()}. Close it to stop
     * attributing; its queries keep working after close.
     */
    public static final class Tracker implements AutoCloseable {
        private final CreationTracker.Scope scope;

        private Tracker(CreationTracker.Scope scope) {
            this.scope = scope;
        }

        /** Ids of every goroutine attributed to this tracker, alive or not. */
        public Set<Long> ids() {
            return scope.ids();
        }

        /**
         * false when the scheduler did not report goroutine creation while this tracker was
         * open (an engine without the GO_CREATE hook): {@link #ids()} is then empty although
         * goroutines may have been started.
         */
        public boolean exact() {
            return scope.createEventsSeen();
        }

        /** Ids of the tracked goroutines still alive, across all runtimes (no stack walk). */
        public Set<Long> aliveIds() {
            Set<Long> ids = scope.ids();
            Set<Long> out = new HashSet<>();
            if (ids.isEmpty()) {
                return out;
            }
            for (GoRuntime rt : runtimes()) {
                Set<Long> live = liveIds(rt);
                for (Long id : ids) {
                    if (live.contains(id)) {
                        out.add(id);
                    }
                }
            }
            return out;
        }

        /** The tracked goroutines still alive, across all runtimes, by id. */
        public List<GoroutineInfo> alive() {
            Set<Long> ids = scope.ids();
            List<GoroutineInfo> out = new ArrayList<>();
            if (ids.isEmpty()) {
                return out;
            }
            for (GoRuntime rt : runtimes()) {
                out.addAll(info(rt, ids));
            }
            out.sort((a, b) -> Long.compare(a.id(), b.id()));
            return out;
        }

        /** The tracked goroutines still alive, in Go's traceback format. */
        public String dump() {
            Set<Long> ids = scope.ids();
            StringBuilder sb = new StringBuilder();
            if (ids.isEmpty()) {
                return "";
            }
            for (GoRuntime rt : runtimes()) {
                sb.append(Goroutines.dump(rt, ids));   // walks the stacks of these ids only
            }
            return sb.toString();
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
