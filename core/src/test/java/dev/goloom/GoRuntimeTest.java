package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The public runtime API: goroutine identity, snapshots, dumps, executor, panics. */
class GoRuntimeTest {

    private static GoRuntime rt(int procs) {
        return GoRuntime.builder().maxProcs(procs).name("test").build();
    }

    @Test
    void currentIsTheGoroutineAndNullOutside() {
        assertNull(Go.current());
        try (GoRuntime rt = rt(2)) {
            AtomicReference<Goroutine> seen = new AtomicReference<>();
            Goroutine[] started = new Goroutine[1];
            rt.main(() -> {
                CountDownLatch done = new CountDownLatch(1);
                started[0] = rt.go("worker", () -> {
                    seen.set(Go.current());
                    done.countDown();
                });
                done.await();
            });
            assertSame(started[0], seen.get());
            assertEquals("worker", seen.get().name());
            assertTrue(seen.get().id() > 0);
        }
    }

    @Test
    void idsIncreaseAndDefaultNamesUseThem() {
        try (GoRuntime rt = rt(1)) {
            Goroutine a = rt.go(() -> { });
            Goroutine b = rt.go(() -> { });
            assertTrue(b.id() > a.id());
            assertEquals("goroutine-" + a.id(), a.name());
        }
    }

    @Test
    void numGoroutineAndSnapshotsSeeParkedGoroutines() throws Exception {
        try (GoRuntime rt = rt(2)) {
            AtomicBoolean release = new AtomicBoolean();
            Thread[] t = new Thread[1];
            CountDownLatch parked = new CountDownLatch(1);
            Goroutine g = rt.go("sleeper", () -> {
                t[0] = Thread.currentThread();
                parked.countDown();
                while (!release.get()) {
                    Park.park(this, WaitReason.CHAN_RECEIVE);
                }
            });
            parked.await();
            GoroutineInfo info = awaitState(rt, g.id(), GoroutineState.WAITING);
            assertEquals("chan receive", info.waitReason());
            assertEquals("sleeper", info.name());
            assertEquals(1, rt.numGoroutine());
            String dump = rt.dump();
            assertTrue(dump.startsWith("goroutine " + g.id() + " [chan receive]:\n"), dump);
            assertTrue(dump.contains("GoRuntimeTest"), dump);
            release.set(true);
            Park.ready(t[0]);
        }
    }

    static GoroutineInfo awaitState(GoRuntime rt, long id, GoroutineState st) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (GoroutineInfo i : rt.goroutines()) {
                if (i.id() == id && i.state() == st) {
                    return i;
                }
            }
            Thread.yield();
        }
        throw new AssertionError("goroutine " + id + " never " + st + ":\n" + rt.dump());
    }

    @Test
    void panicInAnotherGoroutineEndsMain() {
        try (GoRuntime rt = rt(2)) {
            AtomicBoolean quit = new AtomicBoolean();
            Thread[] mainThread = new Thread[1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.main(() -> {
                mainThread[0] = Thread.currentThread();
                rt.go(() -> {
                    throw new IllegalArgumentException("from a goroutine");
                });
                while (!quit.get()) {
                    Park.park(this, WaitReason.CHAN_RECEIVE); // waits; the panic ends main()
                }
            }));
            assertEquals("from a goroutine", e.getMessage());
            quit.set(true);
            Park.ready(mainThread[0]);
        }
    }

    @Test
    void checkedExceptionIsWrappedWithCause() {
        try (GoRuntime rt = rt(1)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> rt.main(() -> {
                throw new java.io.IOException("disk");
            }));
            assertInstanceOf(java.io.IOException.class, e.getCause());
        }
    }

    @Test
    void deadlockIsDetected() throws Exception {
        GoRuntime rt = rt(2);
        AtomicBoolean quit = new AtomicBoolean();
        Thread[] mainThread = new Thread[1];
        DeadlockError e = assertThrows(DeadlockError.class, () -> rt.main(() -> {
            mainThread[0] = Thread.currentThread();
            while (!quit.get()) {
                Park.park(this, WaitReason.CHAN_RECEIVE);
            }
        }));
        assertTrue(e.getMessage().startsWith("all goroutines are asleep - deadlock!"), e.getMessage());
        assertTrue(e.getMessage().contains("[chan receive"), e.getMessage());
        quit.set(true);
        Park.ready(mainThread[0]);
        rt.close();
    }

    /**
     * A goroutine of another runtime (here the global one, which Go.go uses even inside a custom
     * runtime's main) can still wake main: no DeadlockError while it lives, however long main
     * waits. Before session 5 the check looked at main's own runtime only and threw here.
     */
    @Test
    void noDeadlockWhileAnotherRuntimesGoroutineCanWakeMain() throws Exception {
        GoRuntime rt = rt(2);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        Thread opener = Thread.ofPlatform().start(() -> {
            // main has been asleep in its receive for 300 ms: the check (every 50 ms, two samples
            // 30 ms apart) has had six chances to misfire
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && rt.goroutines().stream().noneMatch(g ->
                    "chan receive".equals(g.waitReason()) && g.waitingFor().toMillis() >= 300)) {
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);   // a poll, not a dump spin
            }
            gate.countDown();
        });
        try {
            int[] got = new int[1];
            rt.main(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> {
                    gate.await();            // a JDK latch: asleep, but not in goloom
                    c.send(7);
                });
                got[0] = c.recv();
            });
            assertEquals(7, got[0]);
        } finally {
            gate.countDown();
            opener.join();
            rt.close();
        }
    }

    @Test
    void executorRunsEachTaskAsAGoroutine() throws Exception {
        try (GoRuntime rt = rt(2)) {
            ExecutorService ex = rt.executor();
            Future<Goroutine> f = ex.submit(Go::current);
            assertNotNull(f.get());
            ex.shutdown();
            assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
            assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        }
    }

    @Test
    void threadFactoryThreadsAreGoroutines() throws Exception {
        try (GoRuntime rt = rt(2)) {
            ThreadFactory tf = rt.threadFactory();
            AtomicReference<Goroutine> seen = new AtomicReference<>();
            Thread t = tf.newThread(() -> seen.set(Go.current()));
            assertTrue(t.isVirtual());
            t.start();
            t.join();
            assertNotNull(seen.get());
        }
    }

    @Test
    void maxProcsIsSettable() {
        try (GoRuntime rt = rt(2)) {
            assertEquals(2, rt.maxProcs(3));
            assertEquals(3, rt.maxProcs());
            assertThrows(IllegalArgumentException.class, () -> rt.maxProcs(0));
            assertThrows(IllegalArgumentException.class, () -> rt.maxProcs(-1));
            SchedStats s = rt.schedStats();
            assertEquals(3, s.maxProcs());
            assertEquals(3, s.localRunQueues().length);
        }
    }

    @Test
    void globalRuntimeCannotBeClosed() {
        assertThrows(UnsupportedOperationException.class, () -> GoRuntime.global().close());
        assertFalse(GoRuntime.global().toString().isEmpty());
    }

    @Test
    void goStatementsOnTheGlobalRuntime() throws Exception {
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            Go.go(done::countDown);
        }
        done.await();
        assertTrue(Go.maxProcs() >= 1);
        List<GoroutineInfo> all = GoRuntime.global().goroutines();
        assertNotNull(all);
    }
}
