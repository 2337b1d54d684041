package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static dev.goloom.testing.GoTestSupport.awaitWaiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import dev.goloom.internal.syncx.SyncDebug;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Go's src/sync/rwmutex_test.go behaviours, plus writer preference and wait reasons. */
class RWMutexTest {
    private GoRuntime rt;

    @BeforeEach
    void setUp() {
        rt = GoRuntime.builder().maxProcs(2).name("rwmutex-test").build();
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    /** Go's TestParallelReaders: n readers hold the read lock at the same time. */
    @Test
    void parallelReaders() throws InterruptedException {
        RWMutex m = new RWMutex();
        int n = 8;
        CountDownLatch allIn = new CountDownLatch(n);
        CountDownLatch leave = new CountDownLatch(1);
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(start(rt, () -> {
                m.rLock();
                allIn.countDown();
                leave.await();
                m.rUnlock();
            }));
        }
        allIn.await();
        assertEquals(n, m.readerCount());
        assertFalse(m.tryLock());
        leave.countDown();
        hs.forEach(SyncTesting.Handle::join);
        assertTrue(m.tryLock());
        m.unlock();
    }

    /** Go's HammerRWMutex: readers and writers never overlap. */
    @Test
    void hammer() {
        RWMutex m = new RWMutex();
        AtomicInteger activity = new AtomicInteger();
        List<SyncTesting.Handle> hs = new ArrayList<>();
        int iters = 1000;
        for (int i = 0; i < 6; i++) {
            boolean writer = i % 3 == 0;
            hs.add(start(rt, () -> {
                for (int k = 0; k < iters; k++) {
                    if (writer) {
                        m.lock();
                        int n = activity.addAndGet(10000);
                        if (n != 10000) {
                            fail("wlock(" + n + ")");
                        }
                        Thread.onSpinWait();
                        activity.addAndGet(-10000);
                        m.unlock();
                    } else {
                        m.rLock();
                        int n = activity.incrementAndGet();
                        if (n < 1 || n >= 10000) {
                            fail("rlock(" + n + ")");
                        }
                        Thread.onSpinWait();
                        activity.decrementAndGet();
                        m.rUnlock();
                    }
                }
            }));
        }
        hs.forEach(SyncTesting.Handle::join);
        assertEquals(0, m.readerCount());
    }

    /** A blocked writer holds back new readers; it goes before them; they go before the next writer. */
    @Test
    void blockedWriterHoldsBackNewReaders() {
        RWMutex m = new RWMutex();
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        m.rLock();   // reader R1: this thread
        SyncTesting.Handle w = start(rt, () -> {
            m.lock();
            order.add("writer");
            m.unlock();
        });
        awaitWaiting(rt, "sync.RWMutex.Lock", 1);
        assertFalse(m.tryRLock(), "a pending writer must hold back tryRLock");
        SyncTesting.Handle r2 = start(rt, () -> {
            m.rLock();
            order.add("reader");
            m.rUnlock();
        });
        awaitWaiting(rt, "sync.RWMutex.RLock", 1);
        assertTrue(rt.dump().contains("[sync.RWMutex.RLock"));
        assertTrue(order.isEmpty());
        m.rUnlock();
        w.join();
        r2.join();
        assertEquals(List.of("writer", "reader"), List.copyOf(order));
    }

    @Test
    void writerBlockedByWriterShowsRWMutexLockAndOwner() {
        RWMutex m = new RWMutex();
        m.lock();
        assertSame(Thread.currentThread(), SyncDebug.ownerThread(m));
        SyncTesting.Handle w = start(rt, () -> {
            m.lock();
            m.unlock();
        });
        awaitWaiting(rt, "sync.RWMutex.Lock", 1);
        m.unlock();
        w.join();
    }

    @Test
    void misuseMessages() {
        RWMutex m = new RWMutex();
        IllegalStateException e = assertThrows(IllegalStateException.class, m::rUnlock);
        assertEquals("sync: RUnlock of unlocked RWMutex", e.getMessage());
        e = assertThrows(IllegalStateException.class, m::unlock);
        assertEquals("sync: Unlock of unlocked RWMutex", e.getMessage());
        m.rLock();
        e = assertThrows(IllegalStateException.class, m::unlock);
        assertEquals("sync: Unlock of unlocked RWMutex", e.getMessage());
        m.rUnlock();
        m.lock();
        e = assertThrows(IllegalStateException.class, m::rUnlock);
        assertEquals("sync: RUnlock of unlocked RWMutex", e.getMessage());
        m.unlock();
        // the state survived every misuse
        assertEquals(0, m.readerCount());
        assertTrue(m.tryLock());
        assertFalse(m.tryRLock());
        m.unlock();
        assertTrue(m.tryRLock());
        assertTrue(m.tryRLock());
        assertFalse(m.tryLock());
        m.rUnlock();
        m.rUnlock();
    }

    @Test
    void unlockByAnotherGoroutine() {
        RWMutex m = new RWMutex();
        m.lock();
        start(rt, m::unlock).join();
        m.rLock();
        start(rt, m::rUnlock).join();
        assertTrue(m.tryLock());
        m.unlock();
    }

    @Test
    void writerInterruptedWhileWaitingForWriter() {
        RWMutex m = new RWMutex();
        m.lock();
        SyncTesting.Handle w = start(rt, m::lock);
        awaitWaiting(rt, "sync.RWMutex.Lock", 1);
        w.thread().interrupt();
        assertThrows(GoInterruptedException.class, w::join);
        m.unlock();
        assertTrue(m.tryRLock());   // nothing held by the interrupted writer
        m.rUnlock();
        assertTrue(m.tryLock());
        m.unlock();
    }

    @Test
    void readerWaitIsNotInterruptibleButKeepsTheFlag() {
        RWMutex m = new RWMutex();
        m.lock();
        AtomicInteger flag = new AtomicInteger();
        SyncTesting.Handle r = start(rt, () -> {
            m.rLock();
            flag.set(Thread.currentThread().isInterrupted() ? 1 : 2);
            m.rUnlock();
        });
        awaitWaiting(rt, "sync.RWMutex.RLock", 1);
        r.thread().interrupt();
        m.unlock();
        r.join();
        assertEquals(1, flag.get());
    }
}
