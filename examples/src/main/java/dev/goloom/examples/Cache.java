package dev.goloom.examples;

import dev.goloom.Go;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.RWMutex;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A read-mostly cache: lookups share an {@link RWMutex} read lock; a miss takes a {@link Mutex}
 * that serializes loads, checks again, loads, and stores under the write lock. Many goroutines
 * asking for the same keys cause exactly one load per key.
 *
 * {@snippet lang="go" :
 * func (c *Cache) Get(k string) string {
 *     c.mu.RLock(); v, ok := c.m[k]; c.mu.RUnlock()
 *     if ok { return v }
 *     c.loadMu.Lock(); defer c.loadMu.Unlock()
 *     c.mu.RLock(); v, ok = c.m[k]; c.mu.RUnlock()    // someone may have loaded it meanwhile
 *     if !ok { v = c.load(k); c.mu.Lock(); c.m[k] = v; c.mu.Unlock() }
 *     return v
 * }
 * }
 */
public final class Cache {
    private final RWMutex mu = new RWMutex();
    private final Map<String, String> m = new HashMap<>();   // guarded by mu
    private final Mutex loadMu = new Mutex();
    private final Function<String, String> load;
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger hits = new AtomicInteger();

    Cache(Function<String, String> load) {
        this.load = load;
    }

    String get(String k) {
        String v = read(k);
        if (v != null) {
            hits.incrementAndGet();
            return v;
        }
        loadMu.lock();
        try {
            v = read(k);                            // loaded while we waited?
            if (v == null) {
                v = load.apply(k);
                loads.incrementAndGet();
                mu.lock();
                try {
                    m.put(k, v);
                } finally {
                    mu.unlock();
                }
            } else {
                hits.incrementAndGet();
            }
            return v;
        } finally {
            loadMu.unlock();
        }
    }

    private String read(String k) {
        mu.rLock();
        try {
            return m.get(k);
        } finally {
            mu.rUnlock();
        }
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int readers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int keys = 10;
        Go.main(() -> {
            Cache cache = new Cache(k -> {
                Time.sleep(Duration.ofMillis(2));   // a slow backend
                return k.toUpperCase();
            });
            WaitGroup wg = new WaitGroup();
            for (int r = 0; r < readers; r++) {
                int offset = r;
                wg.go(() -> {
                    for (int i = 0; i < keys; i++) {
                        String k = "key" + (offset + i) % keys;
                        if (!cache.get(k).equals(k.toUpperCase())) {
                            throw new AssertionError("wrong value for " + k);
                        }
                    }
                });
            }
            wg.await();
            out.println(readers + " goroutines x " + keys + " lookups: " + cache.loads.get() + " loads, "
                    + cache.hits.get() + " hits");
        });
    }
}
