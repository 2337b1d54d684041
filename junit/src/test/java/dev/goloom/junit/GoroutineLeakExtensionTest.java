package dev.goloom.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.goloom.GoRuntime;
import dev.goloom.Goroutine;
import dev.goloom.debug.Goroutines;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The leak extension driven through the JUnit Platform test kit: a leaking test fails with the
 * dump of its goroutines, a clean one passes, and parallel tests do not blame each other.
 * The cases are static nested classes, which surefire does not run by themselves.
 */
class GoroutineLeakExtensionTest {
    /** Released by the outer test once the test kit has run; keeps "leaked" goroutines alive until then. */
    static volatile CountDownLatch release = new CountDownLatch(1);
    static final GoRuntime RT = GoRuntime.builder().name("leak-test").maxProcs(2).build();

    @BeforeEach
    void fresh() {
        release = new CountDownLatch(1);
        ParallelCases.leakStarted = new CountDownLatch(1);
    }

    @AfterAll
    static void closeRuntime() {
        release.countDown();
        RT.close();
    }

    static void awaitRelease() throws InterruptedException {
        release.await();
    }

    @ExtendWith(GoroutineLeakExtension.class)
    @GoroutineLeakGrace(millis = 200)
    static class LeakyCase {
        @Test
        void leaksAWorker() {
            RT.go("leaky-worker", () -> {
                RT.go("leaky-child", GoroutineLeakExtensionTest::awaitRelease);   // transitively the test's
                awaitRelease();
            });
        }
    }

    static final dev.goloom.sync.Mutex M1 = new dev.goloom.sync.Mutex();
    static final dev.goloom.sync.Mutex M2 = new dev.goloom.sync.Mutex();

    @ExtendWith(GoroutineLeakExtension.class)
    @GoroutineLeakGrace(millis = 300)
    static class DeadlockCase {
        @Test
        void locksCrosswise() throws Exception {
            CountDownLatch both = new CountDownLatch(2);
            RT.go("lock-a", () -> crosswise(M1, M2, both));
            RT.go("lock-b", () -> crosswise(M2, M1, both));
            both.await();
        }

        static void crosswise(dev.goloom.sync.Mutex first, dev.goloom.sync.Mutex second, CountDownLatch both)
                throws InterruptedException {
            first.lock();
            both.countDown();
            both.await();
            second.lock();
            second.unlock();
            try {
                first.unlock();
            } catch (IllegalStateException unlockedByTheOuterTest) {
                // the outer test broke the cycle by unlocking M1 itself
            }
        }
    }

    @ExtendWith(GoroutineLeakExtension.class)
    @GoroutineLeakGrace(millis = 100)
    static class GcLeakCase {
        @Test
        void forgetsAReceiver() {
            leakReceiver();   // in a helper: a local of the test method would keep the channel alive
        }

        static void leakReceiver() {
            dev.goloom.Chan<Integer> ch = dev.goloom.Chan.make();
            RT.go("forgotten-receiver", () -> {
                ch.recv();
            });
        }
    }

    @ExtendWith(GoroutineLeakExtension.class)
    static class CleanCase {
        @Test
        void joinsItsWorkers() throws Exception {
            CountDownLatch done = new CountDownLatch(10);
            for (int i = 0; i < 10; i++) {
                RT.go(done::countDown);
            }
            done.await();
        }

        @Test
        void goroutinesThatEndDuringTheGracePeriodAreFine() {
            RT.go(() -> Thread.sleep(50));
        }
    }

    @ExtendWith(GoroutineLeakExtension.class)
    @GoroutineLeakGrace(millis = 300)
    static class ParallelCases {
        static volatile CountDownLatch leakStarted = new CountDownLatch(1);

        @Test
        void leaks() {
            RT.go("parallel-leak", () -> {
                leakStarted.countDown();
                awaitRelease();
            });
        }

        @Test
        void clean() throws Exception {
            assertTrue(leakStarted.await(10, TimeUnit.SECONDS));   // the other test's leak is alive now
            CountDownLatch done = new CountDownLatch(1);
            RT.go("parallel-clean", done::countDown);
            done.await();
        }
    }

    @Test
    void leakingTestFailsWithTheDump() {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeakyCase.class)).execute();
        release.countDown();
        List<Event> failed = r.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> r.allEvents().list().toString());
        String msg = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(msg.startsWith("found 2 leaked goroutines still alive 200 ms after the test\n"), msg);
        assertTrue(msg.contains("# labels: {\"name\":\"leaky-worker\"}"), msg);
        assertTrue(msg.contains("# labels: {\"name\":\"leaky-child\"}"), msg);
        assertTrue(msg.contains("GoroutineLeakExtensionTest.awaitRelease(...)"), msg);
        assertTrue(msg.matches("(?s).*goroutine \\d+ \\[[a-zA-Z. ]+\\]:\n.*"), msg);
    }

    @Test
    void deadlockedGoroutinesAreNamedAsSuch() throws Exception {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(DeadlockCase.class)).execute();
        M1.unlock();                    // breaks the cycle (Go lets any goroutine unlock a Mutex)
        List<Event> failed = r.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> r.allEvents().list().toString());
        String msg = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(msg.startsWith("found 2 leaked goroutines"), msg);
        assertTrue(msg.contains("partial deadlock among goroutines "), msg);
        assertTrue(msg.contains("[sync.Mutex.Lock]"), msg);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (RT.numGoroutine() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);            // polling an observable state: the two goroutines end
        }
        assertEquals(0, RT.numGoroutine(), RT::dump);
    }

    @Test
    void goroutineNothingCanWakeIsReportedAsProvenByTheGc() {
        Assumptions.assumeTrue(dev.goloom.debug.Deadlocks.leakCheckUnavailable(RT).isEmpty());
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(GcLeakCase.class)).execute();
        List<Event> failed = r.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> r.allEvents().list().toString());
        String msg = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(msg.startsWith("found 1 leaked goroutine: 1 proven leaked by the GC (reclaimed), 0 still alive"), msg);
        assertTrue(msg.contains("[chan receive (leaked)]:"), msg);
        assertTrue(msg.contains("# labels: {\"name\":\"forgotten-receiver\"}"), msg);
        assertFalse(Goroutines.liveIds(RT).stream().anyMatch(id -> msg.contains("goroutine " + id + " ")), msg);
    }

    @Test
    void cleanTestsPass() {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(CleanCase.class)).execute();
        r.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    }

    @Test
    void parallelTestsDoNotBlameEachOther() {
        Assumptions.assumeTrue(creationIsReported(),
                "skipped: this scheduler does not emit Trace.GO_CREATE on the creating thread yet");
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(ParallelCases.class)).execute();
        release.countDown();
        List<Event> failed = r.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> r.allEvents().list().toString());
        assertTrue(failed.get(0).getTestDescriptor().getDisplayName().startsWith("leaks"));
        String msg = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("");
        assertTrue(msg.startsWith("found 1 leaked goroutine "), msg);
        assertTrue(msg.contains("parallel-leak"), msg);
        assertFalse(msg.contains("parallel-clean"), msg);
        r.testEvents().succeeded().assertThatEvents().hasSize(1);
    }

    /** true when goroutine creation reaches the tracker (Trace.GO_CREATE is wired in the scheduler). */
    static boolean creationIsReported() {
        AtomicReference<Goroutine> g = new AtomicReference<>();
        try (Goroutines.Tracker t = Goroutines.track()) {
            CountDownLatch done = new CountDownLatch(1);
            g.set(RT.go(done::countDown));
            try {
                done.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return t.ids().contains(g.get().id());
        }
    }
}
