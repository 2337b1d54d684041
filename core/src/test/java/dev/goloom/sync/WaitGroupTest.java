package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static dev.goloom.testing.GoTestSupport.awaitWaiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Sched;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Go's src/sync/waitgroup_test.go behaviours, plus wg.go, wait reasons and interrupts. */
class WaitGroupTest {
    private GoRuntime rt;

    @BeforeEach
    void setUp() {
        rt = GoRuntime.builder().maxProcs(2).name("waitgroup-test").build();
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    /** Go's testWaitGroup: wg2.Wait blocks until all n goroutines have called wg1.Done. */
    @Test
    void waitGroup() {
        WaitGroup wg1 = new WaitGroup();
        WaitGroup wg2 = new WaitGroup();
        int n = 16;
        wg1.add(n);
        wg2.add(n);
        AtomicInteger exited = new AtomicInteger();
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(start(rt, () -> {
                wg1.done();
                wg2.await();
                exited.incrementAndGet();
            }));
        }
        wg1.await();
        awaitWaiting(rt, "sync.WaitGroup.Wait", n);
        assertEquals(0, exited.get(), "WaitGroup released group too soon");
        assertEquals(n, wg2.waiters());
        for (int i = 0; i < n; i++) {
            wg2.done();
        }
        hs.forEach(SyncTesting.Handle::join);
        assertEquals(n, exited.get());
        assertEquals(0, wg2.waiters());
        wg2.await();   // counter is zero: returns at once
    }

    @Test
    void negativeCounter() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        wg.done();
        IllegalStateException e = assertThrows(IllegalStateException.class, wg::done);
        assertEquals("sync: negative WaitGroup counter", e.getMessage());
        assertEquals(0, wg.counter());
        wg.add(2);
        e = assertThrows(IllegalStateException.class, () -> wg.add(-3));
        assertEquals("sync: negative WaitGroup counter", e.getMessage());
        assertEquals(2, wg.counter());
    }

    /** Go 1.25's TestWaitGroupGo, run in the caller's runtime. */
    @Test
    void goRunsTasksInTheCallersRuntime() {
        WaitGroup wg = new WaitGroup();
        AtomicInteger ran = new AtomicInteger();
        AtomicReference<Sched> where = new AtomicReference<>();
        rt.main(() -> {
            Sched mine = G.current().sched();
            for (int i = 0; i < 50; i++) {
                wg.go(() -> {
                    ran.incrementAndGet();
                    if (G.current().sched() != mine) {
                        where.set(G.current().sched());
                    }
                });
            }
            wg.await();
        });
        assertEquals(50, ran.get());
        assertEquals(null, where.get());
    }

    @Test
    void goCountsDoneEvenWhenTheTaskThrows() {
        WaitGroup wg = new WaitGroup();
        wg.go(() -> {
            throw new IllegalStateException("expected panic (test)");
        });
        wg.await();
        assertEquals(0, wg.counter());
    }

    @Test
    void interruptedWaiterWithdraws() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        SyncTesting.Handle h = start(rt, wg::await);
        awaitWaiting(rt, "sync.WaitGroup.Wait", 1);
        h.thread().interrupt();
        assertThrows(GoInterruptedException.class, h::join);
        assertEquals(0, wg.waiters());
        // no stray token: the next round works normally
        SyncTesting.Handle h2 = start(rt, wg::await);
        awaitWaiting(rt, "sync.WaitGroup.Wait", 1);
        wg.done();
        h2.join();
        wg.add(1);
        SyncTesting.Handle h3 = start(rt, wg::await);
        awaitWaiting(rt, "sync.WaitGroup.Wait", 1);
        assertEquals(1, wg.waiters());
        wg.done();
        h3.join();
    }

    /** Go's TestWaitGroupMisuse2 in spirit: reuse before Wait returned is detected by that Wait. */
    @Test
    void reuseBeforeWaitReturnedIsDetected() {
        boolean detected = false;
        for (int attempt = 0; attempt < 2000 && !detected; attempt++) {
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            SyncTesting.Handle h = start(rt, () -> {
                try {
                    wg.await();
                } catch (IllegalStateException e) {
                    seen.set(e);
                }
            });
            awaitWaiting(rt, "sync.WaitGroup.Wait", 1);
            wg.done();
            wg.add(1);   // reuse at once, before the waiter had a chance to return
            h.join();
            wg.done();
            if (seen.get() != null) {
                assertEquals("sync: WaitGroup is reused before previous Wait has returned",
                        seen.get().getMessage());
                detected = true;
            }
        }
        assertTrue(detected, "reuse was never detected");
    }

    @Test
    void addConcurrentlyWithWaitIsDetectedWhenVisible() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        SyncTesting.Handle h = start(rt, wg::await);
        awaitWaiting(rt, "sync.WaitGroup.Wait", 1);
        wg.done();
        h.join();
        assertSame(0, wg.waiters());
    }
}
