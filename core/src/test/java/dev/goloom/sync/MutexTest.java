package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static dev.goloom.sync.SyncTesting.work;
import static dev.goloom.testing.GoTestSupport.awaitWaiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import dev.goloom.internal.syncx.SyncDebug;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Go's src/sync/mutex_test.go behaviours, plus goloom's wait reasons and interrupts. */
class MutexTest {
    private GoRuntime rt;

    @BeforeEach
    void setUp() {
        rt = GoRuntime.builder().maxProcs(2).name("mutex-test").build();
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    @Test
    void lockUnlockAndTryLock() {
        Mutex mu = new Mutex();
        assertTrue(mu.tryLock());
        assertFalse(mu.tryLock());
        mu.unlock();
        mu.lock();
        assertFalse(mu.tryLock());
        mu.unlock();
        assertEquals(0, mu.state());
        mu.checkInvariants();
    }

    @Test
    void unlockOfUnlockedThrowsGoMessage() {
        Mutex mu = new Mutex();
        IllegalStateException e = assertThrows(IllegalStateException.class, mu::unlock);
        assertEquals("sync: unlock of unlocked mutex", e.getMessage());
        assertEquals(0, mu.state());
        mu.lock();
        mu.unlock();
        assertThrows(IllegalStateException.class, mu::unlock);
    }

    /** Go's TestMutex / HammerMutex: many goroutines incrementing a plain counter. */
    @Test
    void mutualExclusion() {
        Mutex mu = new Mutex();
        int[] counter = new int[1];
        int goroutines = 10;
        int iters = 2000;
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int g = 0; g < goroutines; g++) {
            hs.add(start(rt, () -> {
                for (int i = 0; i < iters; i++) {
                    if (i % 3 == 0 && mu.tryLock()) {
                        counter[0]++;
                        mu.unlock();
                        continue;
                    }
                    mu.lock();
                    counter[0]++;
                    mu.unlock();
                }
            }));
        }
        hs.forEach(SyncTesting.Handle::join);
        mu.lock();   // pairs with the last unlock: the plain counter is visible
        assertEquals(goroutines * iters, counter[0]);
        mu.unlock();
        mu.checkInvariants();
        assertEquals(0, mu.state());
    }

    @Test
    void unlockFromAnotherGoroutine() {
        Mutex mu = new Mutex();
        mu.lock();
        start(rt, mu::unlock).join();
        assertTrue(mu.tryLock());
        mu.unlock();
    }

    @Test
    void blockedLockShowsWaitReasonAndOwner() {
        Mutex mu = new Mutex();
        mu.lock();
        assertSame(Thread.currentThread(), SyncDebug.ownerThread(mu));
        SyncTesting.Handle h = start(rt, () -> {
            mu.lock();
            mu.unlock();
        });
        awaitWaiting(rt, "sync.Mutex.Lock", 1);
        assertTrue(rt.dump().contains("[sync.Mutex.Lock"), rt::dump);
        assertEquals(1, mu.state() >>> Mutex.WAITER_SHIFT);
        mu.unlock();
        h.join();
        assertNull(SyncDebug.ownerThread(mu));
        mu.checkInvariants();
    }

    @Test
    void ownerIsTheGoroutineHoldingIt() {
        Mutex mu = new Mutex();
        AtomicBoolean release = new AtomicBoolean();
        SyncTesting.Handle h = start(rt, () -> {
            mu.lock();
            while (!release.get()) {
                Thread.yield();
            }
            mu.unlock();
        });
        Thread t = h.thread();
        while (SyncDebug.ownerThread(mu) == null) {
            Thread.yield();
        }
        assertSame(t, SyncDebug.ownerThread(mu));
        release.set(true);
        h.join();
    }

    /** Go's TestMutexFairness: a waiter gets the lock while another goroutine hammers it. */
    @Test
    void starvationModeLetsWaiterIn() {
        Mutex mu = new Mutex();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sawStarving = new AtomicInteger();
        SyncTesting.Handle hammer = start(rt, () -> {
            while (!stop.get()) {
                mu.lock();
                work(100_000);   // 100 µs inside the lock, as Go's test (which sleeps there)
                if ((mu.state() & Mutex.STARVING) != 0) {
                    sawStarving.incrementAndGet();
                }
                mu.unlock();
            }
        });
        SyncTesting.Handle waiter = start(rt, () -> {
            for (int i = 0; i < 10; i++) {
                work(100_000);
                mu.lock();
                mu.unlock();
            }
        });
        try {
            waiter.join();       // fails after LONG_DELAY if the waiter starves
        } finally {
            stop.set(true);
            hammer.join();
        }
        mu.checkInvariants();
    }

    /**
     * White-box: a waiter that waited past 1 ms and lost the race switches the Mutex to
     * starvation mode; the next unlock hands it the lock (LOCKED never clears, so a barging
     * tryLock fails); the last waiter's acquisition leaves starvation mode.
     */
    @Test
    void starvationModeHandsTheLockOver() {
        Mutex mu = new Mutex();
        mu.lock();
        AtomicBoolean got = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean();
        SyncTesting.Handle w = start(rt, () -> {
            mu.lock();
            got.set(true);
            while (!release.get()) {   // hold it until the test has looked
                Thread.yield();
            }
            mu.unlock();
        });
        awaitWaiting(rt, "sync.Mutex.Lock", 1);
        work(3 * Mutex.STARVATION_THRESHOLD_NS);   // the waiter is now past the threshold
        for (;;) {
            mu.unlock();            // normal mode: wakes the waiter (WOKEN)...
            if (mu.tryLock()) {     // ...and we barge in before it runs
                break;
            }
            // the waiter won the race outright: the scenario is unobservable this time
            release.set(true);
            w.join();
            assertTrue(got.get());
            return;
        }
        long deadline = System.nanoTime() + SyncTesting.LONG_DELAY.toNanos();
        while ((mu.state() & Mutex.STARVING) == 0) {   // it woke, lost, and asked for a hand-off
            assertTrue(System.nanoTime() < deadline, mu::toString);
            Thread.yield();
        }
        awaitWaiting(rt, "sync.Mutex.Lock", 1);
        assertFalse(mu.tryLock(), "starvation mode: no barging");
        mu.unlock();                // hands the lock over: LOCKED stays set for the waiter
        assertFalse(mu.tryLock(), "the lock belongs to the waiter now");
        release.set(true);
        w.join();
        assertTrue(got.get());
        assertEquals(0, mu.state(), "the last waiter leaves starvation mode");
        mu.checkInvariants();
    }

    @Test
    void interruptWhileBlockedThrowsAndHoldsNothing() {
        Mutex mu = new Mutex();
        mu.lock();
        AtomicBoolean flagKept = new AtomicBoolean();
        SyncTesting.Handle h = start(rt, () -> {
            try {
                mu.lock();
                mu.unlock();
            } catch (GoInterruptedException e) {
                flagKept.set(Thread.currentThread().isInterrupted());
                throw e;
            }
        });
        awaitWaiting(rt, "sync.Mutex.Lock", 1);
        h.thread().interrupt();
        assertThrows(GoInterruptedException.class, h::join);
        assertTrue(flagKept.get());
        mu.checkInvariants();
        assertEquals(Mutex.LOCKED, mu.state());   // still ours, no waiter counted
        mu.unlock();
        assertTrue(mu.tryLock());
        mu.unlock();
    }

    @Test
    void interruptedCallerFailsOnlyWhenItWouldBlock() {
        Mutex mu = new Mutex();
        Thread.currentThread().interrupt();
        try {
            mu.lock();           // uncontended: the fast path does not look at the flag
            mu.unlock();
        } finally {
            assertTrue(Thread.interrupted());
        }
        mu.lock();
        SyncTesting.Handle h = start(rt, () -> {
            Thread.currentThread().interrupt();
            assertThrows(GoInterruptedException.class, mu::lock);
            assertTrue(Thread.currentThread().isInterrupted());
        });
        h.join();
        mu.unlock();
        mu.checkInvariants();
        assertEquals(0, mu.state());
    }

    /** Waiters interrupted at random while others contend: no lost wake-up, no stray count. */
    @Test
    void interruptsDuringContentionKeepTheLockConsistent() {
        Mutex mu = new Mutex();
        int[] counter = new int[1];
        AtomicInteger ok = new AtomicInteger();
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int g = 0; g < 8; g++) {
            hs.add(start(rt, () -> {
                for (int i = 0; i < 500; i++) {
                    try {
                        mu.lock();
                    } catch (GoInterruptedException e) {
                        Thread.interrupted();
                        continue;
                    }
                    counter[0]++;
                    ok.incrementAndGet();
                    work(1_000);
                    mu.unlock();
                }
            }));
        }
        for (int r = 0; r < 200; r++) {
            hs.get(r % hs.size()).thread().interrupt();
            Thread.yield();
        }
        hs.forEach(SyncTesting.Handle::join);
        mu.lock();
        assertEquals(ok.get(), counter[0]);
        mu.unlock();
        mu.checkInvariants();
        assertEquals(0, mu.state());
    }
}
