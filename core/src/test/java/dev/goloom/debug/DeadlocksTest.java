package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.Goroutine;
import dev.goloom.GoroutineInfo;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.trace.WaitForGraph;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partial deadlocks: a lock cycle among some goroutines is found while others run. The lock is a
 * minimal test lock parking through Park (the sync package's Mutex answers through SyncDebug).
 */
class DeadlocksTest {
    /** A non-reentrant lock that parks through Park with Go's Mutex wait reason. */
    static final class TestLock {
        final AtomicReference<Thread> owner = new AtomicReference<>();
        final Queue<Thread> waiters = new ConcurrentLinkedQueue<>();
        static final AtomicBoolean abort = new AtomicBoolean();

        /** Locks; returns false if the test aborted the wait. */
        boolean lock() {
            Thread me = Thread.currentThread();
            while (!owner.compareAndSet(null, me)) {
                waiters.add(me);
                if (abort.get()) {
                    return false;
                }
                if (owner.get() != null) {
                    Park.park(this, WaitReason.MUTEX_LOCK);
                }
                waiters.remove(me);
            }
            return true;
        }

        void unlock() {
            owner.set(null);
            waiters.forEach(Park::ready);
        }
    }

    private final Function<Object, Object> resolver = b -> b instanceof TestLock l ? l.owner.get() : null;

    @BeforeEach
    void install() {
        TestLock.abort.set(false);
        WaitForGraph.addOwnerResolver(resolver);
    }

    @AfterEach
    void remove() {
        WaitForGraph.removeOwnerResolver(resolver);
    }

    @Test
    void lockCycleIsFoundWhileOthersRun() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("deadlocks").maxProcs(2).build()) {
            TestLock l1 = new TestLock(), l2 = new TestLock(), l3 = new TestLock(), free = new TestLock();
            CountDownLatch both = new CountDownLatch(2);
            AtomicBoolean stop = new AtomicBoolean();
            Goroutine a = rt.go("a", () -> {
                l1.lock();
                both.countDown();
                both.await();
                l2.lock();
            });
            Goroutine b = rt.go("b", () -> {
                l2.lock();
                both.countDown();
                both.await();
                l1.lock();
            });
            Goroutine self = rt.go("self", () -> {
                l3.lock();
                l3.lock();                         // Go's Mutex is not reentrant: a cycle of one
            });
            // the rest of the program keeps running. (It spins rather than yields: a stack dump of
            // a goroutine queued after a yield makes the JDK resubmit its continuation, which the
            // scheduler does not yet tolerate; reported to the scheduler's owner.)
            Goroutine busy = rt.go("busy", () -> {
                while (!stop.get()) {
                    free.lock();
                    free.unlock();
                    Thread.onSpinWait();
                }
            });
            try {
                List<List<GoroutineInfo>> found = waitForCycles(rt, 2);
                List<List<Long>> ids = found.stream().map(c -> c.stream().map(GoroutineInfo::id).toList()).toList();
                assertTrue(ids.contains(List.of(Math.min(a.id(), b.id()), Math.max(a.id(), b.id()))), ids.toString());
                assertTrue(ids.contains(List.of(self.id())), ids.toString());
                for (List<GoroutineInfo> c : found) {
                    for (GoroutineInfo i : c) {
                        assertEquals("sync.Mutex.Lock", i.waitReason());
                    }
                }
                String dump = rt.dump();
                assertTrue(dump.contains("partial deadlock: goroutine " + self.id() + " waits for a lock it holds itself"), dump);
                assertTrue(dump.contains("each waits for a lock the next holds"), dump);
                String report = Deadlocks.report(rt);
                assertTrue(report.startsWith("partial deadlock: "), report);
                assertTrue(!report.contains("goroutine " + busy.id() + " ["), "the running goroutine is not blamed");
            } finally {
                stop.set(true);
                TestLock.abort.set(true);
                for (Goroutine g : List.of(a, b, self)) {
                    Park.ready(((G) g).thread());
                }
            }
        }
    }

    /** The real thing: two goroutines locking two sync.Mutex crosswise. */
    @Test
    void mutexCycleIsFound() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("mutex-deadlock").maxProcs(2).build()) {
            dev.goloom.sync.Mutex m1 = new dev.goloom.sync.Mutex(), m2 = new dev.goloom.sync.Mutex();
            CountDownLatch both = new CountDownLatch(2);
            CountDownLatch done = new CountDownLatch(2);
            Goroutine a = rt.go("a", () -> {
                m1.lock();
                both.countDown();
                both.await();
                m2.lock();
                m2.unlock();
                unlockQuietly(m1);
                done.countDown();
            });
            Goroutine b = rt.go("b", () -> {
                m2.lock();
                both.countDown();
                both.await();
                m1.lock();
                m1.unlock();
                m2.unlock();
                done.countDown();
            });
            List<List<GoroutineInfo>> found = waitForCycles(rt, 1);
            assertEquals(1, found.size(), found.toString());
            assertEquals(List.of(Math.min(a.id(), b.id()), Math.max(a.id(), b.id())).stream().sorted().toList(),
                    found.get(0).stream().map(GoroutineInfo::id).sorted().toList());
            assertTrue(rt.dump().contains("each waits for a lock the next holds"));
            m1.unlock();        // Go lets another goroutine unlock a Mutex: this breaks the cycle
            done.await();
            assertEquals(List.of(), rt.deadlocks());
        }
    }

    private static void unlockQuietly(dev.goloom.sync.Mutex m) {
        try {
            m.unlock();
        } catch (IllegalStateException alreadyUnlockedByTheTest) {
            // the test broke the cycle by unlocking m1 itself
        }
    }

    @Test
    void noCycleNoReport() {
        try (GoRuntime rt = GoRuntime.builder().name("no-deadlocks").build()) {
            assertEquals(List.of(), rt.deadlocks());
            assertEquals("", Deadlocks.report(rt));
        }
    }

    @Test
    void blockedForeverByConstruction() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("forever").build()) {
            AtomicBoolean release = new AtomicBoolean();
            CountDownLatch parked = new CountDownLatch(1);
            G g = (G) rt.go(() -> DumpsTest.parkUntil(release, WaitReason.SELECT_NO_CASES, parked));
            parked.await();
            DumpsTest.waitParked(rt, g.id());
            assertEquals(List.of(g.id()), Deadlocks.blockedForever(rt).stream().map(GoroutineInfo::id).toList());
            release.set(true);
            Park.ready(g.thread());
        }
    }

    private static List<List<GoroutineInfo>> waitForCycles(GoRuntime rt, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<List<GoroutineInfo>> found = List.of();
        while (System.nanoTime() < deadline) {
            found = rt.deadlocks();
            if (found.size() >= n) {
                return found;
            }
            Thread.sleep(2);   // polling an observable state, not synchronizing
        }
        throw new AssertionError("found " + found + "\n" + rt.dump());
    }
}
