package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.context.ContextCanceledException;
import dev.goloom.context.DeadlineExceededException;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ports the behaviours of golang.org/x/sync semaphore_test.go. */
class SemaphoreTest {
    static GoRuntime rt;

    @BeforeAll
    static void start() {
        rt = GoRuntime.builder().name("semaphore-test").maxProcs(2).build();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @Test
    void weightedRandomNeverExceedsSize() {            // TestWeighted (HammerWeighted)
        rt.main(() -> {
            int n = 8;
            long max = 10;
            Semaphore sem = new Semaphore(max);
            AtomicLong inUse = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < n; i++) {
                long w = i + 1;
                wg.go(() -> {
                    for (int k = 0; k < 200; k++) {
                        sem.acquire(Context.background(), w);
                        long u = inUse.addAndGet(w);
                        assertTrue(u <= max, "in use " + u);
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            dev.goloom.Go.gosched();
                        }
                        inUse.addAndGet(-w);
                        sem.release(w);
                    }
                });
            }
            wg.await();
            sem.checkInvariants();
            assertEquals(0, sem.inUse());
        });
    }

    @Test
    void releaseMoreThanHeldThrows() {                 // TestWeightedPanic
        Semaphore sem = new Semaphore(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sem.release(1));
        assertEquals("semaphore: released more than held", e.getMessage());
        sem.acquire(Context.background(), 1);
        assertThrows(IllegalStateException.class, () -> sem.release(2));
        sem.release(1);
    }

    @Test
    void negativeWeightsRejected() {
        Semaphore sem = new Semaphore(1);
        assertThrows(IllegalArgumentException.class, () -> sem.acquire(Context.background(), -1));
        assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> sem.release(-1));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
    }

    @Test
    void tryAcquire() {                                // TestWeightedTryAcquire
        Semaphore sem = new Semaphore(2);
        List<Boolean> tries = new ArrayList<>();
        sem.acquire(Context.background(), 1);
        tries.add(sem.tryAcquire(1));
        tries.add(sem.tryAcquire(1));
        sem.release(2);
        tries.add(sem.tryAcquire(1));
        sem.acquire(Context.background(), 1);
        tries.add(sem.tryAcquire(1));
        assertEquals(List.of(true, false, true, false), tries);
    }

    @Test
    void acquireGivesUpWhenContextEnds() {             // TestWeightedAcquire
        rt.main(() -> {
            Semaphore sem = new Semaphore(2);
            try (CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(20))) {
                sem.acquire(ctx, 1);
                sem.acquire(ctx, 1);                    // now full
                RuntimeException e = assertThrows(RuntimeException.class, () -> sem.acquire(ctx, 1));
                assertInstanceOf(DeadlineExceededException.class, e);
                assertEquals(2, sem.inUse(), "a failed acquire takes nothing");
                assertEquals(0, sem.waiting());
            }
            sem.release(2);
        });
    }

    @Test
    void acquireWithEndedContextFailsEvenIfFree() {    // TestWeightedAcquireCanceled
        Semaphore sem = new Semaphore(2);
        CancelContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        assertThrows(ContextCanceledException.class, () -> sem.acquire(ctx, 1));
        assertEquals(0, sem.inUse());
        assertTrue(sem.tryAcquire(2));
    }

    @Test
    void tooBigAcquireWaitsForContextAndBlocksNoOne() {   // TestWeightedDoesntBlockIfTooBig
        rt.main(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire(Context.background(), 1);
            CancelContext ctx = Context.withCancel(Context.background());
            WaitGroup wg = new WaitGroup();
            AtomicReference<Throwable> got = new AtomicReference<>();
            wg.go(() -> {
                try {
                    sem.acquire(ctx, 2);
                } catch (RuntimeException e) {
                    got.set(e);
                }
            });
            GoTestSupport.awaitWaiting(rt, "chan receive", 1);
            assertEquals(0, sem.waiting(), "a doomed request does not queue");
            sem.release(1);
            assertTrue(sem.tryAcquire(1), "others are not held back");
            ctx.cancel();
            wg.await();
            assertInstanceOf(ContextCanceledException.class, got.get());
            sem.release(1);
        });
    }

    @Test
    void largeAcquireIsNotStarvedBySmallOnes() {        // TestLargeAcquireDoesntStarve
        rt.main(() -> {
            int n = 4;
            Semaphore sem = new Semaphore(n);
            sem.acquire(Context.background(), n);       // all held
            WaitGroup wg = new WaitGroup();
            wg.go(() -> sem.acquire(Context.background(), n));   // the large waiter queues first
            XTesting.eventually("large waiter queued", () -> sem.waiting() == 1);
            sem.release(1);                             // 1 free, but the head wants 4
            sem.checkInvariants();
            assertFalse(sem.tryAcquire(1), "a later small request must not barge past the head");
            WaitGroup small = new WaitGroup();
            small.go(() -> {
                sem.acquire(Context.background(), 1);
                sem.release(1);
            });
            XTesting.eventually("small waiter queued behind", () -> sem.waiting() == 2);
            sem.release(n - 1);                         // the large one gets everything first
            wg.await();
            assertEquals(n, sem.inUse());
            assertEquals(1, sem.waiting(), "small still waits behind the large holder");
            sem.release(n);
            small.await();
            assertEquals(0, sem.inUse());
        });
    }

    @Test
    void cancelledHeadWaiterLetsOthersThrough() {       // TestAllocCancelDoesntStarve
        rt.main(() -> {
            Semaphore sem = new Semaphore(10);
            sem.acquire(Context.background(), 1);       // 9 free
            CancelContext ctx = Context.withCancel(Context.background());
            WaitGroup big = new WaitGroup();
            AtomicReference<Throwable> bigErr = new AtomicReference<>();
            big.go(() -> {
                try {
                    sem.acquire(ctx, 10);               // cannot fit while 1 is held
                } catch (RuntimeException e) {
                    bigErr.set(e);
                }
            });
            XTesting.eventually("big waiter queued", () -> sem.waiting() == 1);
            WaitGroup small = new WaitGroup();
            small.go(() -> sem.acquire(Context.background(), 1));   // queued behind big
            XTesting.eventually("small waiter queued", () -> sem.waiting() == 2);
            ctx.cancel();                               // big leaves: small must be woken
            big.await();
            small.await();
            assertInstanceOf(ContextCanceledException.class, bigErr.get());
            assertEquals(2, sem.inUse());
            sem.checkInvariants();
            sem.release(2);
        });
    }

    @Test
    void waiterShowsSelectInDump() {
        rt.main(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire(Context.background(), 1);
            WaitGroup wg = new WaitGroup();
            wg.go(() -> sem.acquire(Context.background(), 1));
            GoTestSupport.awaitWaiting(rt, "select", 1);
            sem.release(1);
            wg.await();
            sem.release(1);
        });
    }

    @Test
    void interruptedWaiterTakesNothing() {
        rt.main(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire(Context.background(), 1);
            AtomicReference<Thread> t = new AtomicReference<>();
            AtomicReference<Throwable> got = new AtomicReference<>();
            WaitGroup wg = new WaitGroup();
            wg.go(() -> {
                t.set(Thread.currentThread());
                try {
                    sem.acquire(Context.background(), 1);
                } catch (GoInterruptedException e) {
                    got.set(e);
                }
            });
            XTesting.eventually("waiter queued", () -> sem.waiting() == 1);
            t.get().interrupt();
            wg.await();
            assertInstanceOf(GoInterruptedException.class, got.get());
            assertEquals(0, sem.waiting());
            assertEquals(1, sem.inUse());
            sem.release(1);
            assertTrue(sem.tryAcquire(1));
        });
    }

    @Test
    void releaseWakesWaitersInFifoOrder() {
        rt.main(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire(Context.background(), 1);
            Chan<Integer> order = Chan.make(3);
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 3; i++) {
                int k = i;
                int queued = i + 1;
                wg.go(() -> {
                    sem.acquire(Context.background(), 1);
                    order.send(k);
                    sem.release(1);
                });
                XTesting.eventually("waiter " + k + " queued", () -> sem.waiting() == queued);
            }
            sem.release(1);
            wg.await();
            assertEquals(0, order.recv());
            assertEquals(1, order.recv());
            assertEquals(2, order.recv());
        });
    }
}
