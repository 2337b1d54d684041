package dev.goloom.junit;

import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
import dev.goloom.debug.Deadlocks;
import dev.goloom.debug.Goroutines;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Fails a test that leaves goroutines behind: goloom's answer to Go's {@code goleak}
 * ({@code go.uber.org/goleak.VerifyNone}).
 *
 * <p>Before each test the extension starts attributing goroutines to the test's thread: the
 * goroutines the test starts, in any runtime, and transitively the goroutines those start.
 * After the test it waits up to a grace period (1 s; {@link GoroutineLeakGrace},
 * {@code -Dgoloom.leak.graceMillis}) for them to end, polling with a short back-off, and fails
 * the test if any is still alive. The failure message is their dump in Go's traceback format,
 * so it says where each leaked goroutine is stuck and who started it; a lock cycle among them
 * is reported as a partial deadlock.
 *
 * <p>When goroutines are left, the extension also runs goloom's GC-proven leak check
 * ({@link dev.goloom.debug.Deadlocks#leaked}) once, so the message can say which of them are
 * leaked for good: parked on a channel or lock that nothing live can reach any more (the GC
 * proved it, and reclaimed them). A test whose goroutines were reclaimed by such a check, run by
 * anyone while the test ran, fails too: they leaked even though they are gone.
 * {@code -Dgoloom.leak.gcCheck=false} turns the check off (it costs a few full GCs, and only when
 * a test leaks).
 *
 * <p>Only the test's own goroutines count: goroutines that existed before the test, or that other
 * tests running in parallel start, are never blamed, because attribution follows the creating
 * thread and the parent goroutine id, not timing.
 *
 * {@snippet :
 * @ExtendWith(GoroutineLeakExtension.class)
 * class WorkerPoolTest {
 *     @Test
 *     void shutdownStopsEveryWorker() {
 *         WorkerPool p = new WorkerPool(4);   // starts 4 goroutines
 *         p.shutdown();                       // forgetting this fails the test with their dump
 *     }
 * }
 * }
 *
 * <h2>Blocking</h2>
 * The check runs in {@code afterEach} on the test's thread and blocks it for at most the grace
 * period; a test whose goroutines have all ended passes at once.
 */
public final class GoroutineLeakExtension implements BeforeEachCallback, AfterEachCallback {
    /* Implementation notes
     *
     * Overview
     *   beforeEach: Goroutines.track() (attribution by GO_CREATE on the creating thread, see
     *   internal.trace.CreationTracker) plus a snapshot of the ids alive then, kept in the
     *   extension context's store. afterEach: poll tracker.aliveIds() (ids only: a stack walk
     *   costs microseconds a goroutine, and the JDK resubmits a runnable virtual thread whose
     *   stack it walks) until empty or the grace deadline, then fail with the dump of the
     *   leaked goroutines alone. If the engine did not report creations (tracker not
     *   exact), fall back to "alive now, not alive before" and say so in the message: that
     *   fallback cannot tell parallel tests apart.
     *
     *   GC-proven leaks: on failure only, Deadlocks.leaked() runs once per runtime (a few
     *   System.gc()), then the test's ids are looked up in the check's record of reclaimed
     *   goroutines (Deadlocks.reclaimedLeaks), which also catches leaks reclaimed by checks other
     *   code ran meanwhile; those are reported with the stack captured before the GC.
     *
     * Lineage: go.uber.org/goleak (VerifyNone's retry loop with back-off, the stack dump as message).
     * Invariants: I1 the tracker is closed in afterEach whatever happens (no attribution leaks
     *   into the next test on the same thread).
     * Ownership & locking: per-test state in the ExtensionContext store; the extension instance
     *   is stateless and shared by parallel tests.
     * Memory ordering: none of its own; Goroutines snapshots.
     * Rejected alternatives: a fixed sleep then one check (slow and still flaky); counting all
     *   goroutines (blames parallel tests and background runtimes).
     */
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(GoroutineLeakExtension.class);
    static final long DEFAULT_GRACE_MILLIS = 1000;
    /** run the GC-proven leak check when a test leaves goroutines (-Dgoloom.leak.gcCheck). */
    private static final boolean GC_CHECK = !"false".equals(System.getProperty("goloom.leak.gcCheck"));

    /** Creates the extension (JUnit does, for {@code @ExtendWith}). */
    public GoroutineLeakExtension() {
    }

    private record State(Goroutines.Tracker tracker, Set<Long> before) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Set<Long> before = new HashSet<>();
        for (GoRuntime rt : Goroutines.runtimes()) {
            before.addAll(Goroutines.liveIds(rt));     // ids only: no stack is walked
        }
        context.getStore(NS).put(State.class, new State(Goroutines.track(), before));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        State st = context.getStore(NS).remove(State.class, State.class);
        if (st == null) {
            return;
        }
        try {
            long grace = grace(context);
            Set<Long> leaked = poll(st, grace);
            if (!leaked.isEmpty() && GC_CHECK) {
                gcCheck();
                leaked = aliveIds(st);
            }
            String reclaimed = Deadlocks.reclaimedLeaks(st.tracker.ids());
            if (!leaked.isEmpty() || !reclaimed.isEmpty()) {
                String msg = message(st, leaked, grace, reclaimed);
                if (!msg.startsWith("found 0 ")) {         // all ended between the poll and the dump
                    throw new AssertionFailedError(msg);
                }
            }
        } finally {
            st.tracker.close();                       // keeps I1
        }
    }

    /** Runs the GC-proven leak check on every runtime where it can run (see the class comment). */
    private static void gcCheck() {
        for (GoRuntime rt : Goroutines.runtimes()) {
            if (Deadlocks.leakCheckUnavailable(rt).isEmpty()) {
                try {
                    Deadlocks.leaked(rt);                  // reclaimed ones land in reclaimedLeaks
                } catch (IllegalStateException noGc) {
                    return;                                // e.g. -XX:+DisableExplicitGC
                }
            }
        }
    }

    /** Waits until none of the test's goroutines is alive, or the grace period ends; their ids. */
    private static Set<Long> poll(State st, long graceMillis) {
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        long backoff = 100_000L;                       // 0.1 ms, doubling to 20 ms
        while (true) {
            Set<Long> alive = aliveIds(st);
            long left = deadline - System.nanoTime();
            if (alive.isEmpty() || left <= 0) {
                return alive;
            }
            LockSupport.parkNanos(Math.min(backoff, left));
            backoff = Math.min(backoff * 2, 20_000_000L);
        }
    }

    /** Ids only, so polling walks no stack (stacks are taken once, for the failure message). */
    private static Set<Long> aliveIds(State st) {
        if (st.tracker.exact() || !st.tracker.ids().isEmpty()) {
            return st.tracker.aliveIds();
        }
        Set<Long> out = new HashSet<>();               // fallback: the engine reports no creations
        for (GoRuntime rt : Goroutines.runtimes()) {
            for (Long id : Goroutines.liveIds(rt)) {
                if (!st.before.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    private static String message(State st, Set<Long> leakedIds, long grace, String reclaimed) {
        int n = 0;
        StringBuilder body = new StringBuilder();
        for (GoRuntime rt : Goroutines.runtimes()) {
            List<GoroutineInfo> mine = Goroutines.info(rt, leakedIds);
            if (mine.isEmpty()) {
                continue;
            }
            n += mine.size();
            for (List<GoroutineInfo> cycle : rt.deadlocks()) {
                if (cycle.stream().anyMatch(g -> leakedIds.contains(g.id()))) {
                    body.append("partial deadlock among goroutines ")
                            .append(String.join(", ", cycle.stream().map(g -> Long.toString(g.id())).toList()))
                            .append('\n');
                }
            }
            body.append(Goroutines.format(rt, mine));
        }
        StringBuilder sb = new StringBuilder();
        int r = reclaimed.isEmpty() ? 0 : count(reclaimed);
        if (r == 0) {
            sb.append("found ").append(n).append(n == 1 ? " leaked goroutine" : " leaked goroutines")
                    .append(" still alive ").append(grace).append(" ms after the test\n");
        } else {
            sb.append("found ").append(n + r).append(n + r == 1 ? " leaked goroutine" : " leaked goroutines")
                    .append(": ").append(r).append(" proven leaked by the GC (reclaimed), ").append(n)
                    .append(" still alive ").append(grace).append(" ms after the test\n");
        }
        if (!st.tracker.exact() && st.tracker.ids().isEmpty()) {
            sb.append("(goroutines counted by difference: this scheduler does not report goroutine creation, "
                    + "so tests running in parallel may be blamed for each other's goroutines)\n");
        }
        sb.append('\n').append(body);
        if (r > 0) {
            sb.append(reclaimed);
        }
        return sb.toString();
    }

    /** The number of goroutine blocks in a leak report. */
    private static int count(String report) {
        int c = 0;
        for (String line : report.split("\n")) {
            if (line.startsWith("goroutine ") && line.endsWith("(leaked)]:")) {
                c++;
            }
        }
        return c;
    }

    private static long grace(ExtensionContext c) {
        Optional<Long> m = c.getTestMethod().flatMap(GoroutineLeakExtension::annotated);
        Optional<Long> k = m.isPresent() ? m : c.getTestClass().flatMap(GoroutineLeakExtension::annotated);
        if (k.isPresent()) {
            return k.get();
        }
        return Long.getLong("goloom.leak.graceMillis", DEFAULT_GRACE_MILLIS);
    }

    private static Optional<Long> annotated(AnnotatedElement e) {
        GoroutineLeakGrace g = e.getAnnotation(GoroutineLeakGrace.class);
        if (g == null) {
            return Optional.empty();
        }
        if (g.millis() < 0) {
            throw new IllegalArgumentException("goloom: @GoroutineLeakGrace(millis) must be at least 0, got " + g.millis());
        }
        return Optional.of(g.millis());
    }
}
