package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Go's src/sync/map_test.go behaviours (the quick-check against a plain map, range, CAS). */
class SyncMapTest {
    @Test
    void nullKeysAndValues() {
        SyncMap<String, String> m = new SyncMap<>();
        assertNull(m.load("k"));
        assertFalse(m.loadOk("k").ok());
        m.store("k", null);
        assertNull(m.load("k"));
        assertTrue(m.loadOk("k").ok());
        assertEquals(new SyncMap.Result<String>(null, true), m.loadOrStoreOk("k", "x"));
        assertNull(m.loadOrStore("k", "x"));   // the existing null
        m.store(null, "nil-key");
        assertEquals("nil-key", m.load(null));
        assertTrue(m.compareAndSwap("k", null, "v"));
        assertEquals("v", m.load("k"));
        assertFalse(m.compareAndSwap("absent", null, "v"), "an absent key never matches");
        assertEquals(new SyncMap.Result<String>("v", true), m.loadAndDeleteOk("k"));
        assertEquals(new SyncMap.Result<String>(null, false), m.loadAndDeleteOk("k"));
        int[] n = new int[1];
        m.range((k, v) -> {
            assertNull(k);
            assertEquals("nil-key", v);
            n[0]++;
            return true;
        });
        assertEquals(1, n[0]);
    }

    @Test
    void loadOrStoreReturnsActual() {
        SyncMap<String, Integer> m = new SyncMap<>();
        assertEquals(1, m.loadOrStore("a", 1));   // stored: returns the given value
        assertEquals(1, m.loadOrStore("a", 2));   // loaded: returns the existing value
        assertEquals(new SyncMap.Result<>(1, true), m.loadOrStoreOk("a", 3));
        assertEquals(new SyncMap.Result<>(4, false), m.loadOrStoreOk("b", 4));
    }

    @Test
    void swapAndCompareAndDelete() {
        SyncMap<String, Integer> m = new SyncMap<>();
        assertNull(m.swap("a", 1));
        assertEquals(1, m.swap("a", 2));
        assertEquals(new SyncMap.Result<>(2, true), m.swapOk("a", 3));
        assertFalse(m.compareAndDelete("a", 2));
        assertTrue(m.compareAndDelete("a", 3));
        assertFalse(m.loadOk("a").ok());
        assertFalse(m.compareAndSwap("a", 3, 4));
        m.store("a", 1000);
        assertTrue(m.compareAndSwap("a", 1000, 5), "values compare with equals");
        m.clear();
        assertNull(m.load("a"));
    }

    /** Go's TestMapMatchesRWMutex, as a seeded random sequence against a HashMap model. */
    @Test
    void matchesAPlainMap() {
        Random r = new Random(42);
        SyncMap<Integer, Integer> m = new SyncMap<>();
        Map<Integer, Integer> model = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            Integer k = r.nextInt(20);
            Integer v = r.nextInt(5) == 0 ? null : r.nextInt(10);
            switch (r.nextInt(8)) {
                case 0 -> assertEquals(model.get(k), m.load(k));
                case 1 -> {
                    m.store(k, v);
                    model.put(k, v);
                }
                case 2 -> {
                    boolean had = model.containsKey(k);
                    Integer want = had ? model.get(k) : v;
                    if (!had) {
                        model.put(k, v);
                    }
                    assertEquals(new SyncMap.Result<>(want, had), m.loadOrStoreOk(k, v));
                }
                case 3 -> {
                    boolean had = model.containsKey(k);
                    assertEquals(new SyncMap.Result<>(model.remove(k), had), m.loadAndDeleteOk(k));
                }
                case 4 -> {
                    m.delete(k);
                    model.remove(k);
                }
                case 5 -> {
                    boolean had = model.containsKey(k);
                    assertEquals(new SyncMap.Result<>(model.put(k, v), had), m.swapOk(k, v));
                }
                case 6 -> {
                    Integer old = r.nextBoolean() ? model.get(k) : v;
                    boolean want = model.containsKey(k) && Objects.equals(model.get(k), old);
                    if (want) {
                        model.put(k, v);
                    }
                    assertEquals(want, m.compareAndSwap(k, old, v));
                }
                default -> {
                    Map<Integer, Integer> seen = new HashMap<>();
                    m.range((kk, vv) -> {
                        seen.put(kk, vv);
                        return true;
                    });
                    assertEquals(model, seen);
                }
            }
        }
    }

    @Test
    void rangeStopsWhenFunctionReturnsFalse() {
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int i = 0; i < 100; i++) {
            m.store(i, i);
        }
        int[] n = new int[1];
        m.range((k, v) -> ++n[0] < 10);
        assertEquals(10, n[0]);
    }

    /** Go's TestConcurrentRange: range under concurrent stores visits every key exactly once. */
    @Test
    void concurrentRange() {
        int mapSize = 1 << 10;
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int n = 1; n <= mapSize; n++) {
            m.store(n, n);
        }
        AtomicBoolean stop = new AtomicBoolean();
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            List<SyncTesting.Handle> writers = new ArrayList<>();
            for (int g = 0; g < 4; g++) {
                int seed = g;
                writers.add(start(rt, () -> {
                    Random r = new Random(seed);
                    for (int i = 0; !stop.get(); i++) {
                        int n = 1 + r.nextInt(mapSize);
                        m.store(n, n * (i % 1000) * seed);   // no overflow: stays a multiple of n
                        if (i % 16 == 0) {
                            m.delete(-n);   // churn on keys range must not see
                        }
                    }
                }));
            }
            try {
                for (int it = 0; it < 50; it++) {
                    Set<Integer> seen = new HashSet<>();
                    m.range((k, v) -> {
                        assertTrue(seen.add(k), "key visited twice: " + k);
                        if (v % k != 0) {
                            throw new AssertionError("while ranging: key " + k + " has value " + v);
                        }
                        return true;
                    });
                    assertEquals(mapSize, seen.size());
                }
            } finally {
                stop.set(true);
                writers.forEach(SyncTesting.Handle::join);
            }
        }
    }

    @Test
    void modifyingDuringRangeIsAllowed() {
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int i = 0; i < 50; i++) {
            m.store(i, i);
        }
        m.range((k, v) -> {
            m.delete(k);
            m.store(k + 1000, v);
            return k < 1000;
        });
        m.range((k, v) -> {
            assertTrue(k >= 1000 || k < 50);
            return true;
        });
    }
}
