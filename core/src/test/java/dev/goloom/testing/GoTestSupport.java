package dev.goloom.testing;

import dev.goloom.GoRuntime;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The JUnit 5 extension every goloom test uses: ordering checks, leak checks and dumps on failure.
 *
 * <h2>What it does</h2>
 * <ul>
 * <li><b>Ordering</b> (kotlinx.coroutines' {@code TestBase}): {@link #expect(int)} asserts that
 *     this is the n-th step of the test, from whichever goroutine or thread calls it;
 *     {@link #finish(int)} is the last step; {@link #expectUnreached()} marks code that must not
 *     run. A violation seen on another goroutine is recorded and fails the test at its end (a
 *     panic in a goroutine alone would only be printed). A test that called {@code expect} but
 *     never {@code finish} fails.</li>
 * <li><b>Leaks</b> (JSR-166's "every thread a test starts must end"): after the test, the global
 *     runtime's {@code numGoroutine()} must come back to what it was before the test, and every
 *     runtime made by {@link #runtime(int)} or passed to {@link #watch(GoRuntime)} must have no
 *     goroutine left, within {@link #LONG_DELAY} (polled, never a fixed sleep). Otherwise the test
 *     fails with the goroutine dump.</li>
 * <li><b>Dumps</b>: when the test fails (including a JUnit {@code @Timeout}), and when it is still
 *     running shortly before its timeout (a hang that would never return to JUnit), it prints the
 *     seed ({@link Seeds}), the goroutine dump ({@code GoRuntime.dump()}) of the global and
 *     watched runtimes, and a thread dump, to stderr.</li>
 * <li><b>Seeds</b>: each test starts with {@link Seeds#begin()}; the seed is in every failure report.</li>
 * </ul>
 *
 * {@snippet :
 * class ChanOrderingTest {
 *     @RegisterExtension final GoTestSupport t = new GoTestSupport();
 *
 *     @Test
 *     void receiverRunsAfterSend() {
 *         Chan<Integer> ch = Chan.make();
 *         GoRuntime rt = t.runtime(1);
 *         rt.main(() -> {
 *             t.expect(1);
 *             rt.go(() -> { t.expect(3); ch.recv(); });
 *             t.expect(2);
 *             ch.send(1);
 *             t.finish(4);
 *         });
 *     }
 * }
 * }
 *
 * <p>{@code @ExtendWith(GoTestSupport.class)} works too; the test then takes a
 * {@code GoTestSupport} parameter. The extension assumes tests of one JVM run one at a time
 * (surefire's default; goloom does not enable JUnit's parallel execution).
 */
public final class GoTestSupport implements BeforeEachCallback, AfterEachCallback,
        TestExecutionExceptionHandler, ParameterResolver {

    /** {@code -Dgoloom.delay.factor}: multiplies every named delay (slow or loaded machines). */
    public static final double DELAY_FACTOR =
            Math.max(0.01, Double.parseDouble(System.getProperty("goloom.delay.factor", "1")));

    /**
     * A short real duration (50 ms × factor): for the few tests that must let time pass, e.g. "no
     * value arrives within SHORT_DELAY", or a timer's duration. Never a way to wait for
     * another goroutine: synchronise with a channel, latch or WaitGroup.
     */
    public static final Duration SHORT_DELAY = scaledDelay(50);

    /** A long duration (10 s × factor): a bound on waits that should end long before it. */
    public static final Duration LONG_DELAY = scaledDelay(10_000);

    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final AtomicInteger actionIndex = new AtomicInteger();
    private volatile boolean finished;
    private final AtomicReference<Throwable> orderError = new AtomicReference<>();
    private final List<GoRuntime> owned = new ArrayList<>();
    private final List<GoRuntime> watched = new ArrayList<>();
    private int globalBaseline;
    private volatile boolean dumped;
    private ScheduledFuture<?> hangDump;
    private String testName = "?";

    public GoTestSupport() {
    }

    // ------------------------------------------------------------------------------ ordering

    /** Asserts that this is step {@code n} of the test (steps count from 1, across all goroutines). */
    public void expect(int n) {
        int actual = actionIndex.incrementAndGet();
        if (actual != n) {
            fail("expecting action index " + n + " but it is actually " + actual);
        }
    }

    /** The last step: {@link #expect(int)} and marks the test finished. */
    public void finish(int n) {
        expect(n);
        if (finished) {
            fail("finish(" + n + ") called twice");
        }
        finished = true;
    }

    /** Fails the test: this code must not run. */
    public void expectUnreached() {
        fail("should not be reached (action index " + actionIndex.get() + ")");
    }

    /** Clears the ordering state (a test that repeats an ordered scenario in a loop). */
    public void reset() {
        finished = false;
        actionIndex.set(0);
    }

    private void fail(String message) {
        AssertionError e = new AssertionError(message);
        orderError.compareAndSet(null, e); // the first violation wins; later ones follow from it
        throw e;
    }

    // ------------------------------------------------------------------------------ runtimes

    /** A fresh runtime with {@code procs} Ps, leak-checked and closed after the test. */
    public GoRuntime runtime(int procs) {
        GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("test-p" + procs).build();
        synchronized (owned) {
            owned.add(rt);
        }
        return rt;
    }

    /** Adds {@code rt} (closed by the test itself) to the leak check and the dumps. */
    public GoRuntime watch(GoRuntime rt) {
        synchronized (watched) {
            watched.add(rt);
        }
        return rt;
    }

    // ------------------------------------------------------------------------------ JUnit

    @Override
    public void beforeEach(ExtensionContext ctx) {
        reset();
        orderError.set(null);
        dumped = false;
        testName = ctx.getRequiredTestClass().getName() + "#" + ctx.getRequiredTestMethod().getName();
        Seeds.begin();
        globalBaseline = GoRuntime.global().numGoroutine();
        long hangAfterMs = hangDumpAfter(ctx).toMillis();
        hangDump = WATCHDOG.schedule(() -> dump("still running after " + hangAfterMs + " ms (hang?)"),
                hangAfterMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext ctx, Throwable t) throws Throwable {
        dump("failed: " + t);
        throw t;
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        if (hangDump != null) {
            hangDump.cancel(false);
        }
        List<GoRuntime> mine;
        synchronized (owned) {
            mine = new ArrayList<>(owned);
            owned.clear();
        }
        List<GoRuntime> others;
        synchronized (watched) {
            others = new ArrayList<>(watched);
            watched.clear();
        }
        boolean testFailed = ctx.getExecutionException().isPresent();
        AssertionError failure = null;
        Throwable order = orderError.get();
        if (order != null) {
            failure = new AssertionError("ordering violated: " + order.getMessage() + "; " + Seeds.describe(), order);
        } else if (actionIndex.get() > 0 && !finished && !testFailed) {
            failure = new AssertionError("expect(" + actionIndex.get() + ") was the last step: finish(n) never called");
        }
        String leak = leaks(mine, others); // also after a failure: a stuck goroutine must not hang close()
        if (leak != null) {
            AssertionError e = new AssertionError(leak + "; " + Seeds.describe() + "\n" + allGoroutineDumps(mine, others));
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            dump(leak != null ? leak : failure.getMessage(), mine, others);
        }
        if (leak == null) {
            for (GoRuntime rt : mine) {
                rt.close(); // nothing left to wait for (checked above); a leaky runtime is abandoned
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == GoTestSupport.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        return this;
    }

    // ------------------------------------------------------------------------------ leaks

    /** A description of the goroutines left behind, or null if there are none. */
    private String leaks(List<GoRuntime> mine, List<GoRuntime> others) {
        GoRuntime global = GoRuntime.global();
        boolean ok = awaitCondition(LONG_DELAY, () -> {
            if (global.numGoroutine() > globalBaseline) {
                return false;
            }
            for (GoRuntime rt : mine) {
                if (rt.numGoroutine() != 0) {
                    return false;
                }
            }
            for (GoRuntime rt : others) {
                if (rt.numGoroutine() != 0) {
                    return false;
                }
            }
            return true;
        });
        if (ok) {
            return null;
        }
        StringBuilder sb = new StringBuilder("goroutines leaked by " + testName + " (still alive after " + LONG_DELAY + "):");
        if (global.numGoroutine() > globalBaseline) {
            sb.append(" global runtime ").append(global.numGoroutine()).append(" (before the test: ").append(globalBaseline).append(")");
        }
        for (GoRuntime rt : mine) {
            if (rt.numGoroutine() != 0) {
                sb.append(" ").append(rt).append(" ").append(rt.numGoroutine());
            }
        }
        for (GoRuntime rt : others) {
            if (rt.numGoroutine() != 0) {
                sb.append(" ").append(rt).append(" ").append(rt.numGoroutine());
            }
        }
        return sb.toString();
    }

    /**
     * Polls {@code cond} until it holds or {@code timeout} passes (backing off from a spin to 1 ms
     * parks); true if it held. For conditions no goloom primitive can wait on (a goroutine
     * count, a JMX counter), never as a substitute for a channel or latch.
     */
    public static boolean awaitCondition(Duration timeout, BooleanSupplier cond) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1_000; // ns
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return cond.getAsBoolean();
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000);
        }
        return true;
    }

    /**
     * Polls {@code rt} until at least {@code n} of its goroutines wait with Go's wait reason
     * {@code reason} (e.g. "sync.Mutex.Lock"); fails with the runtime's dump after 30 s.
     */
    public static void awaitWaiting(GoRuntime rt, String reason, int n) {
        if (!awaitCondition(WAITING_DELAY, () -> countWaiting(rt, reason) >= n)) {
            org.junit.jupiter.api.Assertions.fail(
                    "timed out waiting for " + n + " goroutines in [" + reason + "]:\n" + rt.dump());
        }
    }

    /** How many of {@code rt}'s goroutines wait with {@code reason} now. */
    public static int countWaiting(GoRuntime rt, String reason) {
        int c = 0;
        for (dev.goloom.GoroutineInfo gi : rt.goroutines()) {
            if (reason.equals(gi.waitReason())) {
                c++;
            }
        }
        return c;
    }

    private static final Duration WAITING_DELAY = Duration.ofSeconds(30);

    // ------------------------------------------------------------------------------ dumps

    private void dump(String why) {
        List<GoRuntime> mine;
        synchronized (owned) {
            mine = new ArrayList<>(owned);
        }
        List<GoRuntime> others;
        synchronized (watched) {
            others = new ArrayList<>(watched);
        }
        dump(why, mine, others);
    }

    private void dump(String why, List<GoRuntime> mine, List<GoRuntime> others) {
        if (dumped) {
            return; // one dump per test is enough (a timeout is also a failure)
        }
        dumped = true;
        String report = "==== goloom test " + testName + ": " + why + "\n"
                + "goloom: " + Seeds.describe() + " (replay: ./goloom mvn -pl core test -Dtest='"
                + testName + "' -Dgoloom.seed=" + Seeds.seed() + ")\n"
                + allGoroutineDumps(mine, others)
                + "---- thread dump\n" + threadDump()
                + "==== end of goloom test report\n";
        System.err.print(report);
        System.err.flush();
    }

    private static String allGoroutineDumps(List<GoRuntime> mine, List<GoRuntime> others) {
        StringBuilder sb = new StringBuilder();
        sb.append("---- goroutines of the global runtime\n").append(safeDump(GoRuntime.global()));
        for (GoRuntime rt : mine) {
            sb.append("---- goroutines of ").append(rt).append('\n').append(safeDump(rt));
        }
        for (GoRuntime rt : others) {
            sb.append("---- goroutines of ").append(rt).append('\n').append(safeDump(rt));
        }
        return sb.toString();
    }

    private static String safeDump(GoRuntime rt) {
        try {
            return rt.dump();
        } catch (RuntimeException e) {
            return "(dump failed: " + e + ")\n";
        }
    }

    /** Every platform thread's stack, with locks and the lock each waits for (no frame limit). */
    public static String threadDump() {
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            sb.append('"').append(ti.getThreadName()).append("\" #").append(ti.getThreadId())
                    .append(' ').append(ti.getThreadState());
            if (ti.getLockName() != null) {
                sb.append(" on ").append(ti.getLockName());
            }
            if (ti.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(ti.getLockOwnerName()).append('"');
            }
            sb.append('\n');
            for (StackTraceElement e : ti.getStackTrace()) {
                sb.append("\tat ").append(e).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ helpers

    private static Duration scaledDelay(long ms) {
        return Duration.ofMillis(Math.max(1, Math.round(ms * DELAY_FACTOR)));
    }

    /** When to print a hang dump: 90% of the test's @Timeout, else of the 120 s default. */
    private static Duration hangDumpAfter(ExtensionContext ctx) {
        Optional<Method> m = ctx.getTestMethod();
        Timeout t = m.map(x -> x.getAnnotation(Timeout.class)).orElse(null);
        if (t == null) {
            t = ctx.getRequiredTestClass().getAnnotation(Timeout.class);
        }
        long ms = t != null ? t.unit().toMillis(t.value()) : 120_000;
        return Duration.ofMillis(Math.max(1, ms * 9 / 10));
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "goloom-test-watchdog");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        return ex;
    }
}
