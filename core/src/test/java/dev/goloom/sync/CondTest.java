package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static dev.goloom.testing.GoTestSupport.awaitWaiting;
import static dev.goloom.testing.GoTestSupport.countWaiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Go's src/sync/cond_test.go behaviours, plus ticket ordering and interrupts. */
class CondTest {
    private GoRuntime rt;

    @BeforeEach
    void setUp() {
        rt = GoRuntime.builder().maxProcs(2).name("cond-test").build();
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    /** Go's TestCondSignal: each signal wakes exactly one waiter. */
    @Test
    void signalWakesOne() throws InterruptedException {
        Mutex m = new Mutex();
        Cond c = new Cond(m);
        int n = 4;
        LinkedBlockingQueue<Boolean> awake = new LinkedBlockingQueue<>();
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(start(rt, () -> {
                m.lock();
                c.await();
                awake.add(true);
                m.unlock();
            }));
        }
        awaitWaiting(rt, "sync.Cond.Wait", n);
        assertTrue(rt.dump().contains("[sync.Cond.Wait"));
        for (int i = 0; i < n; i++) {
            assertTrue(awake.isEmpty(), "goroutine not asleep");
            m.lock();
            c.signal();
            m.unlock();
            awake.take();   // exactly one wakes
            int left = n - i - 1;
            awaitWaitingExactly(left);
        }
        c.signal();         // no one left: a no-op
        hs.forEach(SyncTesting.Handle::join);
    }

    private void awaitWaitingExactly(int left) {
        long deadline = System.nanoTime() + SyncTesting.LONG_DELAY.toNanos();
        while (countWaiting(rt, "sync.Cond.Wait") != left) {
            assertTrue(System.nanoTime() < deadline, rt::dump);
            Thread.yield();
        }
    }

    /** Go's TestCondSignalGenerations: signals wake waiters in the order they waited. */
    @Test
    void signalGenerations() throws InterruptedException {
        Mutex m = new Mutex();
        Cond c = new Cond(m);
        int n = 50;
        LinkedBlockingQueue<Boolean> running = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Integer> awake = new LinkedBlockingQueue<>();
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            hs.add(start(rt, () -> {
                m.lock();
                running.add(true);
                c.await();
                awake.add(id);
                m.unlock();
            }));
            if (i > 0) {
                int a = awake.take();
                assertEquals(i - 1, a, "wrong goroutine woke up");
            }
            running.take();
            m.lock();
            c.signal();
            m.unlock();
        }
        assertEquals(n - 1, (int) awake.take());
        hs.forEach(SyncTesting.Handle::join);
    }

    /** Go's TestCondBroadcast: a broadcast wakes every waiter that waited before it. */
    @Test
    void broadcastWakesAll() {
        Mutex m = new Mutex();
        Cond c = new Cond(m);
        int n = 20;
        AtomicInteger woken = new AtomicInteger();
        boolean[] go = new boolean[1];
        List<SyncTesting.Handle> hs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hs.add(start(rt, () -> {
                m.lock();
                while (!go[0]) {
                    c.await();
                }
                woken.incrementAndGet();
                m.unlock();
            }));
        }
        awaitWaiting(rt, "sync.Cond.Wait", n);
        m.lock();
        go[0] = true;
        c.broadcast();
        m.unlock();
        hs.forEach(SyncTesting.Handle::join);
        assertEquals(n, woken.get());
    }

    /** A signal is not remembered: a goroutine that waits after it is not woken by it. */
    @Test
    void signalNeverWakesALaterWaiter() {
        Mutex m = new Mutex();
        Cond c = new Cond(m);
        c.signal();
        c.broadcast();
        AtomicBoolean woke = new AtomicBoolean();
        SyncTesting.Handle h = start(rt, () -> {
            m.lock();
            c.await();
            woke.set(true);
            m.unlock();
        });
        awaitWaiting(rt, "sync.Cond.Wait", 1);
        assertTrue(!woke.get());
        m.lock();
        c.signal();
        m.unlock();
        h.join();
        assertTrue(woke.get());
    }

    @Test
    void interruptedWaiterRelocksThrowsAndConsumesNoSignal() {
        Mutex m = new Mutex();
        Cond c = new Cond(m);
        AtomicBoolean heldAfter = new AtomicBoolean();
        SyncTesting.Handle first = start(rt, () -> {
            m.lock();
            try {
                c.await();
            } finally {
                heldAfter.set(!m.tryLock());   // the Mutex is held again
                m.unlock();
            }
        });
        awaitWaiting(rt, "sync.Cond.Wait", 1);
        AtomicBoolean secondWoke = new AtomicBoolean();
        SyncTesting.Handle second = start(rt, () -> {
            m.lock();
            c.await();
            secondWoke.set(true);
            m.unlock();
        });
        awaitWaiting(rt, "sync.Cond.Wait", 2);
        first.thread().interrupt();
        assertThrows(GoInterruptedException.class, first::join);
        assertTrue(heldAfter.get());
        c.signal();   // the cancelled ticket is skipped: the second waiter gets it
        second.join();
        assertTrue(secondWoke.get());
    }

    @Test
    void awaitWithoutTheLockThrowsAndLeaksNoTicket() {
        Mutex m = new Mutex();
        Cond c = new Cond(m);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::await);
        assertEquals("sync: unlock of unlocked mutex", e.getMessage());
        SyncTesting.Handle h = start(rt, () -> {
            m.lock();
            c.await();
            m.unlock();
        });
        awaitWaiting(rt, "sync.Cond.Wait", 1);
        c.signal();
        h.join();
    }
}
