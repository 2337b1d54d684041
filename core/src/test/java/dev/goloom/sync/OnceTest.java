package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static dev.goloom.testing.GoTestSupport.awaitWaiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.DeadlockError;
import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Go's src/sync/once_test.go behaviours. */
class OnceTest {
    private GoRuntime rt;

    @BeforeEach
    void setUp() {
        rt = GoRuntime.builder().maxProcs(2).name("once-test").build();
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    /** Go's TestOnce: f runs once; every caller returns only after it finished. */
    @Test
    void runsOnceAndCallersWaitForIt() throws InterruptedException {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger sawUnfinished = new AtomicInteger();
        int n = 10;
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(start(rt, () -> {
                once.run(() -> {
                    runs.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                if (release.getCount() != 0) {
                    sawUnfinished.incrementAndGet();
                }
            }));
        }
        awaitWaiting(rt, "sync.Mutex.Lock", n - 1);   // the others wait for the first
        release.countDown();
        hs.forEach(SyncTesting.Handle::join);
        assertEquals(1, runs.get());
        assertEquals(0, sawUnfinished.get());
        once.run(() -> runs.incrementAndGet());
        assertEquals(1, runs.get());
    }

    /** Go's TestOncePanic: the panic reaches the caller; the Once is done anyway. */
    @Test
    void panicCountsAsDone() {
        Once once = new Once();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> once.run(() -> {
                    throw new IllegalStateException("failed");
                }));
        assertEquals("failed", e.getMessage());
        assertTrue(once.isDone());
        once.run(() -> {
            throw new AssertionError("Once.run called twice");
        });
    }

    /** A recursive run deadlocks as in Go; the runtime reports it; an interrupt ends it. */
    @Test
    void recursiveRunDeadlocksAsGo() {
        Once once = new Once();
        AtomicReference<Thread> main = new AtomicReference<>();
        AtomicInteger inner = new AtomicInteger();
        DeadlockError e = assertThrows(DeadlockError.class, () -> rt.main(() -> {
            main.set(Thread.currentThread());
            once.run(() -> once.run(inner::incrementAndGet));
        }));
        assertTrue(e.getMessage().startsWith("all goroutines are asleep - deadlock!"), e.getMessage());
        assertTrue(e.getMessage().contains("[sync.Mutex.Lock"), e.getMessage());
        main.get().interrupt();   // the inner run throws; the outer run completes (done)
        rt.close();               // joins the goroutine
        assertEquals(0, inner.get());
        assertTrue(once.isDone());
    }

    @Test
    void waiterInterruptedWhileFirstRuns() throws InterruptedException {
        Once once = new Once();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SyncTesting.Handle first = start(rt, () -> once.run(() -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }));
        entered.await(); // first is inside f: second must wait for it, whatever the schedule
        SyncTesting.Handle second = start(rt, () -> once.run(() -> {
            throw new AssertionError("ran twice");
        }));
        awaitWaiting(rt, "sync.Mutex.Lock", 1);
        second.thread().interrupt();
        assertThrows(GoInterruptedException.class, second::join);
        release.countDown();
        first.join();
        assertTrue(once.isDone());
    }
}
