package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.GoRuntime;
import dev.goloom.internal.syncx.PoolCleanup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Go's src/sync/pool_test.go behaviours. */
class PoolTest {
    /** Go's TestPool: what is put is got back; two collections empty the pool. */
    @Test
    void putGetAndClearedByGc() {
        Pool<String> p = new Pool<>(null);
        assertNull(p.get());
        p.put("a");
        p.put("b");
        Set<String> got = new HashSet<>();
        got.add(p.get());
        got.add(p.get());
        assertEquals(Set.of("a", "b"), got);
        assertNull(p.get());

        p.put("c");
        collectTwice();
        assertNull(p.get(), "pool not cleared after two collections");
    }

    /** One collection moves the cache to the victim cache: still served, as in Go. */
    @Test
    void victimCacheSurvivesOneCollection() {
        Pool<String> p = new Pool<>(null);
        p.put("v");
        long e0 = PoolCleanup.epoch();
        gcUntilEpoch(e0 + 1);
        String got = p.get();
        // a second collection may have run in between (the JVM collects when it likes)
        if (PoolCleanup.epoch() == e0 + 1) {
            assertEquals("v", got);
        }
    }

    /** Go's TestPoolNew. */
    @Test
    void newFnWhenEmpty() {
        AtomicInteger i = new AtomicInteger();
        Pool<Integer> p = new Pool<>(i::incrementAndGet);
        assertEquals(1, p.get());
        assertEquals(2, p.get());
        p.put(42);
        assertEquals(42, p.get());
        assertEquals(3, p.get());
    }

    @Test
    void putNullIsIgnored() {
        Pool<String> p = new Pool<>(() -> "new");
        p.put(null);
        assertEquals("new", p.get());
    }

    /** No object is handed to two goroutines at once; many more puts than slots overflow fine. */
    @Test
    void concurrentGetPutNeverSharesAnObject() {
        final class Obj {
            final AtomicBoolean inUse = new AtomicBoolean();
        }
        Pool<Obj> p = new Pool<>(Obj::new);
        AtomicInteger errors = new AtomicInteger();
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            List<SyncTesting.Handle> hs = new ArrayList<>();
            for (int g = 0; g < 8; g++) {
                hs.add(start(rt, () -> {
                    List<Obj> held = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        Obj o = p.get();
                        if (!o.inUse.compareAndSet(false, true)) {
                            errors.incrementAndGet();
                        }
                        held.add(o);
                        if (held.size() > 40 || i % 7 == 0) {
                            for (Obj h : held) {
                                h.inUse.set(false);
                                p.put(h);
                            }
                            held.clear();
                        }
                    }
                    for (Obj h : held) {
                        h.inUse.set(false);
                        p.put(h);
                    }
                }));
            }
            hs.forEach(SyncTesting.Handle::join);
        }
        assertEquals(0, errors.get());
    }

    static void collectTwice() {
        assertTrue(Pool.clearsAtGc(), "no GC notifications on this JVM");
        long e0 = PoolCleanup.epoch();
        gcUntilEpoch(e0 + 2);
    }

    static void gcUntilEpoch(long epoch) {
        long deadline = System.nanoTime() + SyncTesting.LONG_DELAY.toNanos();
        while (PoolCleanup.epoch() < epoch) {
            if (System.nanoTime() > deadline) {
                fail("no GC notification (is -XX:+DisableExplicitGC set?)");
            }
            long seen = PoolCleanup.epoch();
            System.gc();
            // the notification arrives on the JDK's notification thread
            long wait = System.nanoTime() + 1_000_000_000L;
            while (PoolCleanup.epoch() == seen && System.nanoTime() < wait) {
                Thread.yield();
            }
        }
    }
}
