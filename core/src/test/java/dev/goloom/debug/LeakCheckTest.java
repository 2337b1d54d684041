package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.GoroutineInfo;
import dev.goloom.Select;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.WaitGroup;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GC-proven goroutine leak check (Deadlocks.leaked): goroutines parked on something nothing
 * live can reach are reported and reclaimed; goroutines something live can still wake are not.
 *
 * <p>Leaks are made in helper methods that return only ids, never the channel or lock: a local
 * variable of the test method (even a dead one, in an interpreted frame) is a GC root and would
 * keep what it references alive.
 */
class LeakCheckTest {
    private GoRuntime rt;

    /** Held by a static field: whatever it references is reachable for the GC. */
    static volatile Object keepAlive;

    @BeforeEach
    void start() {
        rt = GoRuntime.builder().name("leakcheck").maxProcs(2).build();
        assertTrue(Deadlocks.leakCheckUnavailable(rt).isEmpty(),
                () -> "check unavailable: " + Deadlocks.leakCheckUnavailable(rt));
    }

    @AfterEach
    void stop() {
        keepAlive = null;
        int left = rt.numGoroutine();
        if (left != 0) {
            // a leak the check missed (the test failed already): close() would join it forever
            throw new AssertionError(left + " goroutines left, runtime not closed:\n" + rt.dump());
        }
        rt.close();
    }

    // ------------------------------------------------------------------------------ helpers

    /** Waits until every goroutine of ids is parked with a wait reason (no sleep as sync). */
    private void awaitParked(Set<Long> ids, String reason) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int n = 0;
            for (GoroutineInfo i : Goroutines.info(rt, ids)) {
                if (i.waitReason().equals(reason)) {
                    n++;
                }
            }
            if (n == ids.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not parked in [" + reason + "]: " + Goroutines.dump(rt, ids));
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** n goroutines, each receiving from its own channel that nothing else references. */
    private Set<Long> leakReceivers(int n) {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Chan<Integer> ch = Chan.make();
            ids.add(rt.go("leaky-" + i, () -> recvForever(ch)).id());
        }
        awaitParked(ids, "chan receive");
        return ids;
    }

    private static void recvForever(Chan<Integer> ch) {
        ch.recv();
    }

    private static Set<Long> ids(List<GoroutineInfo> l) {
        Set<Long> s = new HashSet<>();
        for (GoroutineInfo i : l) {
            s.add(i.id());
        }
        return s;
    }

    // ------------------------------------------------------------------------------ tests

    @Test
    void receiversOnUnreachableChannelsAreReportedAndReclaimed() {
        Set<Long> ids = leakReceivers(20);
        int before = rt.numGoroutine();
        assertEquals(20, before);
        List<GoroutineInfo> leaked = Deadlocks.leaked(rt);
        assertEquals(ids, ids(leaked), () -> "leaked " + ids(leaked) + " expected " + ids);
        for (GoroutineInfo i : leaked) {
            assertEquals("chan receive", i.waitReason());
            assertTrue(i.name().startsWith("leaky-"), i.name());
            assertTrue(java.util.Arrays.stream(i.stack()).anyMatch(e -> e.getMethodName().equals("recvForever")),
                    () -> java.util.Arrays.toString(i.stack()));
        }
        assertEquals(0, rt.numGoroutine());
        assertTrue(Goroutines.liveIds(rt).isEmpty());
        assertTrue(rt.goroutines().isEmpty());
        // the ids stay known for the leak extension
        String r = Deadlocks.reclaimedLeaks(ids);
        assertTrue(r.startsWith("goroutine leak: 20 goroutines"), r);
        assertTrue(r.contains("[chan receive (leaked)]:"), r);
        assertTrue(r.contains("recvForever"), r);
        assertTrue(r.contains("created by "), r);
        // a second check finds nothing more
        assertTrue(Deadlocks.leaked(rt).isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void channelHeldByStaticFieldIsNotALeak() {
        long id = receiverOnStaticChannel();
        assertTrue(Deadlocks.leaked(rt).isEmpty());
        assertEquals(1, rt.numGoroutine());
        ((Chan<Integer>) keepAlive).send(1);   // it can still be woken: it was never lost
        awaitGone(id);
    }

    private long receiverOnStaticChannel() {
        Chan<Integer> ch = Chan.make();
        keepAlive = ch;
        long id = rt.go(() -> recvForever(ch)).id();
        awaitParked(Set.of(id), "chan receive");
        return id;
    }

    @Test
    void channelHeldByLiveGoroutineIsNotALeak() {
        Set<Long> ids = receiverWithLiveSender();
        assertTrue(Deadlocks.leaked(rt).isEmpty());
        assertEquals(2, rt.numGoroutine());
        release.countDown();     // the sender (sleeping on a latch the test holds) sends
        for (long id : ids) {
            awaitGone(id);
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);

    private Set<Long> receiverWithLiveSender() {
        Chan<Integer> ch = Chan.make();
        long r = rt.go(() -> recvForever(ch)).id();
        long s = rt.go(() -> {
            release.await();     // parked in a JDK latch the test thread references: live
            ch.send(1);
        }).id();
        awaitParked(Set.of(r), "chan receive");
        awaitParked(Set.of(s), "waiting");
        return Set.of(r, s);
    }

    @Test
    void mutexReachableOnlyFromParkedGoroutinesIsALeak() {
        Set<Long> ids = leakMutexWaiters(3);
        List<GoroutineInfo> leaked = Deadlocks.leaked(rt);
        assertEquals(ids, ids(leaked), () -> Deadlocks.reclaimedLeaks(ids));
        for (GoroutineInfo i : leaked) {
            assertEquals("sync.Mutex.Lock", i.waitReason());
        }
        assertEquals(0, rt.numGoroutine());
    }

    /** n goroutines parked on a Mutex that a goroutine which ended still holds. */
    private Set<Long> leakMutexWaiters(int n) {
        Mutex mu = new Mutex();
        mu.lock();   // locked by the test thread, which forgets it (Go lets anyone unlock)
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(rt.go(() -> lockForever(mu)).id());
        }
        awaitParked(ids, "sync.Mutex.Lock");
        return ids;
    }

    private static void lockForever(Mutex mu) {
        mu.lock();
    }

    @Test
    void mutexStillReachableIsNotALeak() {
        long id = waiterOnStaticMutex();
        assertTrue(Deadlocks.leaked(rt).isEmpty());
        ((Mutex) keepAlive).unlock();
        awaitGone(id);
    }

    private long waiterOnStaticMutex() {
        Mutex mu = new Mutex();
        mu.lock();
        keepAlive = mu;
        long id = rt.go(() -> {
            mu.lock();
            mu.unlock();
        }).id();
        awaitParked(Set.of(id), "sync.Mutex.Lock");
        return id;
    }

    @Test
    void waitGroupAndSelectLeaks() {
        Set<Long> ids = new HashSet<>();
        ids.addAll(leakWaitGroupWaiter());
        ids.addAll(leakSelect());
        assertEquals(ids, ids(Deadlocks.leaked(rt)));
        assertEquals(0, rt.numGoroutine());
    }

    private Set<Long> leakWaitGroupWaiter() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        long id = rt.go(wg::await).id();
        awaitParked(Set.of(id), "sync.WaitGroup.Wait");
        return Set.of(id);
    }

    private Set<Long> leakSelect() {
        Chan<Integer> a = Chan.make();
        Chan<Integer> b = Chan.make();
        long id = rt.go(() -> Select.select(Select.recv(a, x -> { }), Select.send(b, 1, () -> { }))).id();
        awaitParked(Set.of(id), "select");
        return Set.of(id);
    }

    @Test
    void chainOfLeaksIsFoundInOneCheck() {
        // g1 waits on c1; c1 is referenced only by g2's stack; g2 waits on c2 nobody has.
        Set<Long> ids = leakChain();
        assertEquals(ids, ids(Deadlocks.leaked(rt)));
    }

    private Set<Long> leakChain() {
        Chan<Integer> c1 = Chan.make();
        Chan<Integer> c2 = Chan.make();
        long g1 = rt.go(() -> recvForever(c1)).id();
        long g2 = rt.go(() -> {
            c2.recv();
            c1.send(1);
        }).id();
        awaitParked(Set.of(g1, g2), "chan receive");
        return Set.of(g1, g2);
    }

    @Test
    void sleepingGoroutineIsNotReported() {
        AtomicBoolean stop = new AtomicBoolean();
        long id = rt.go(() -> {
            while (!stop.get()) {
                dev.goloom.time.Time.sleep(java.time.Duration.ofMillis(5));
            }
        }).id();
        awaitParked(Set.of(id), "sleep");
        assertTrue(Deadlocks.leaked(rt).isEmpty());
        stop.set(true);
        awaitGone(id);
    }

    @Test
    void nilChannelReceiverIsReported() {
        long id = rt.go(() -> {
            Select.select(Select.recv(null, x -> { }));
        }).id();
        awaitParked(Set.of(id), "chan receive (nil chan)");
        List<GoroutineInfo> leaked = Deadlocks.leaked(rt);
        assertEquals(Set.of(id), ids(leaked));
        assertEquals("chan receive (nil chan)", leaked.get(0).waitReason());
    }

    @Test
    void busyPingPongIsNeverReported() {
        // The pair's channels are referenced only by the two goroutines' stacks: at any instant
        // one of them may be parked on a channel that only the other (running, runnable or
        // parked a moment) can reach. A check racing with them must never report either.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong rounds = new AtomicLong();
        WaitGroup wg = new WaitGroup();
        startPingPong(stop, rounds, wg);
        Set<Long> leakedIds = leakReceivers(5);
        for (int i = 0; i < 5; i++) {
            long r0 = rounds.get();
            List<GoroutineInfo> leaked = Deadlocks.leaked(rt);
            Set<Long> got = ids(leaked);
            assertTrue(leakedIds.containsAll(got), () -> "false positive: " + Deadlocks.reclaimedLeaks(got));
            leakedIds.removeAll(got);
            while (rounds.get() < r0 + 100) {
                Thread.onSpinWait();   // the pair kept running through the check
            }
        }
        assertTrue(leakedIds.isEmpty(), () -> "missed " + leakedIds);
        stop.set(true);
        wg.await();
        // await returns once both called done(); their last instructions may still be running
        assertTrue(dev.goloom.testing.GoTestSupport.awaitCondition(
                dev.goloom.testing.GoTestSupport.LONG_DELAY, () -> rt.numGoroutine() == 0), rt::dump);
    }

    private void startPingPong(AtomicBoolean stop, AtomicLong rounds, WaitGroup wg) {
        Chan<Integer> ping = Chan.make();
        Chan<Integer> pong = Chan.make();
        wg.add(2);
        rt.go("ping", () -> {
            try {
                while (!stop.get()) {
                    ping.send(1);
                    pong.recv();
                    rounds.incrementAndGet();
                }
                ping.close();
            } finally {
                wg.done();
            }
        });
        rt.go("pong", () -> {
            try {
                for (Integer x : ping) {
                    pong.send(x);
                }
            } finally {
                wg.done();
            }
        });
    }

    @Test
    void jdkThreadDumpStillListsGoroutines() throws Exception {
        Chan<Integer> ch = Chan.make();
        long id = rt.go("dumped-goroutine", () -> recvForever(ch)).id();
        awaitParked(Set.of(id), "chan receive");
        java.nio.file.Path f = java.nio.file.Files.createTempFile("goloom-threads", ".json");
        java.nio.file.Files.delete(f);
        try {
            // HotSpotDiagnosticMXBean.dumpThreads(path, JSON), through JMX (the test module does not
            // read jdk.management): what jcmd <pid> Thread.dump_to_file -format=json writes
            java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpThreads",
                    new Object[] {f.toString(), "JSON"}, new String[] {String.class.getName(), String.class.getName()});
            String json = java.nio.file.Files.readString(f);
            assertTrue(json.contains("\"goloom:leakcheck"), "no goloom container in the dump");
            assertTrue(json.contains("\"dumped-goroutine\""), "goroutine missing from the JDK dump");
            assertTrue(json.contains("recvForever"), "its stack is missing from the JDK dump");
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
        ch.send(1);
        awaitGone(id);
    }

    private void awaitGone(long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Goroutines.liveIds(rt).contains(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("goroutine " + id + " did not end: " + rt.dump());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
