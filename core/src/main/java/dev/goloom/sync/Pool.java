package dev.goloom.sync;

import dev.goloom.internal.syncx.PoolCleanup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A set of temporary objects that may be individually saved and retrieved: Go's
 * {@code sync.Pool}. It caches allocated but unused objects for later reuse, relieving pressure
 * on the garbage collector, and is safe for use by many goroutines at once.
 *
 * <p>Any item stored in the Pool may be removed automatically at any time without notification:
 * as in Go, the cache is emptied at garbage collections (an item survives at most two collections
 * after it was put). {@link #get()} takes an arbitrary cached item, or returns the result of the
 * {@code newFn} given at construction when there is none ({@code null} if {@code newFn} is null).
 * Callers must not assume any relation between values passed to {@link #put(Object)} and values
 * returned by {@code get()}.
 *
 * {@snippet :
 * static final Pool<StringBuilder> BUFS = new Pool<>(StringBuilder::new);
 *
 * String render(Event e) {
 *     StringBuilder b = BUFS.get();
 *     try {
 *         b.setLength(0);
 *         return b.append(e.time()).append(' ').append(e.text()).toString();
 *     } finally {
 *         BUFS.put(b);
 *     }
 * }
 * }
 *
 * <h2>Blocking</h2>
 * Never blocks. {@code newFn} runs in the caller of {@code get()}.
 *
 * <h2>Memory consistency effects</h2>
 * A {@code put(x)} happens-before a {@code get()} that returns that same {@code x} (Go: "a call to
 * Put(x) synchronizes before a call to Get returning that same value x"); likewise a
 * {@code newFn} call's result is the caller's own.
 */
public final class Pool<T> {
    /* Implementation notes
     *
     * Overview
     *   Go gives each P a private slot and a shared lock-free chain, and a victim copy of both.
     *   Java code cannot find its carrier cheaply, so the per-P caches become STRIPES stripes of
     *   SLOTS slots each in one AtomicReferenceArray (a stripe fills a cache line), chosen by a
     *   hash of the calling thread's id: a goroutine keeps hitting the same stripe, different
     *   goroutines spread out. put takes the first empty slot of its stripe (CAS null -> x), or
     *   appends to the shared overflow queue; get empties the last full slot of its stripe, then
     *   polls the overflow, then steals from the other stripes, then does the same in the
     *   victim cache, and finally calls newFn. A Gen holds one cache (stripes + overflow); the
     *   primary Gen is created lazily and registered with PoolCleanup, which at each GC demotes
     *   it to victim (Go's poolCleanup).
     *
     * Lineage
     *   golang/go src/sync/pool.go and poolqueue.go @go1.23. Deviations: stripes by thread hash
     *   instead of per-P private/shared (no pinning); the overflow is a ConcurrentLinkedQueue, not
     *   Go's poolChain; the cleanup runs after a collection (notification) rather than at its
     *   start (see PoolCleanup).
     *
     * Invariants
     *   I1 each cached object is in at most one slot or queue position of one Gen (it moves only
     *      by a successful CAS/poll that removes it).
     *   I2 a Gen registered with PoolCleanup is the primary at registration time.
     *
     * Memory ordering
     *   Slots are AtomicReferenceArray elements: put's compareAndSet (volatile) pairs with get's
     *   getAndSet (volatile), which gives the put-before-get edge; the queue gives the same.
     *   primary/victim are volatile; their replacement by PoolCleanup races benignly with put
     *   (an object put into a just-demoted Gen is still found via victim or dropped: a cache).
     *
     * Rejected alternatives
     *   ThreadLocal caches: with a million goroutines each one would hold its own cache.
     *   A single ConcurrentLinkedQueue: one contended head under many Ps.
     */

    private static final int SLOTS = 16;   // 16 compressed references: one cache line per stripe
    private static final int STRIPES = stripes();

    private static int stripes() {
        int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        return Math.min(n, 64);
    }

    /** One cache: Go's []poolLocal. */
    static final class Gen {
        final AtomicReferenceArray<Object> slots = new AtomicReferenceArray<>(STRIPES * SLOTS);
        final ConcurrentLinkedQueue<Object> shared = new ConcurrentLinkedQueue<>();
    }

    private final Supplier<T> newFn;
    private volatile Gen primary;
    private volatile Gen victim;
    private final PoolCleanup.Cleanable cleanable = new PoolCleanup.Cleanable() {
        @Override
        public void demote() {
            victim = primary;
            primary = null;
        }

        @Override
        public void dropVictim() {
            victim = null;
        }
    };

    private static final VarHandle PRIMARY;

    static {
        try {
            PRIMARY = MethodHandles.lookup().findVarHandle(Pool.class, "primary", Gen.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A Pool whose {@link #get()} calls {@code newFn} when it has nothing cached (Go's
     * {@code New} field); {@code newFn} may be null, and {@code get()} then returns null.
     */
    public Pool(Supplier<T> newFn) {
        this.newFn = newFn;
    }

    /**
     * Takes an arbitrary item from the Pool, or, if it is empty, returns {@code newFn.get()}
     * (null if there is no {@code newFn}).
     */
    @SuppressWarnings("unchecked")
    public T get() {
        int s = stripe();
        Gen g = primary;
        Object x = g == null ? null : take(g, s);
        if (x == null) {
            Gen v = victim;
            x = v == null ? null : take(v, s);
        }
        if (x != null) {
            return (T) x;
        }
        return newFn == null ? null : newFn.get();
    }

    /** Adds {@code x} to the Pool; {@code null} is ignored (as Go's Put(nil)). */
    public void put(T x) {
        if (x == null) {
            return;
        }
        Gen g = primary;
        if (g == null) {
            g = newPrimary();
        }
        AtomicReferenceArray<Object> a = g.slots;
        int base = stripe() * SLOTS;
        for (int i = base; i < base + SLOTS; i++) {
            if (a.getPlain(i) == null && a.compareAndSet(i, null, x)) {   // keeps I1
                return;
            }
        }
        g.shared.add(x);
    }

    private Gen newPrimary() {
        Gen fresh = new Gen();
        Gen witness = (Gen) PRIMARY.compareAndExchange(this, null, fresh);
        if (witness != null) {
            return witness;
        }
        PoolCleanup.register(cleanable);   // keeps I2 (Go's pinSlow: allPools = append(...))
        return fresh;
    }

    /** Own stripe (last full slot first), then the overflow, then the other stripes. */
    private static Object take(Gen g, int s) {
        AtomicReferenceArray<Object> a = g.slots;
        int base = s * SLOTS;
        for (int i = base + SLOTS - 1; i >= base; i--) {
            Object x = takeSlot(a, i);
            if (x != null) {
                return x;
            }
        }
        Object x = g.shared.poll();
        if (x != null) {
            return x;
        }
        for (int k = 1; k < STRIPES; k++) {   // steal, as Go's getSlow
            int b = ((s + k) & (STRIPES - 1)) * SLOTS;
            for (int i = b; i < b + SLOTS; i++) {
                x = takeSlot(a, i);
                if (x != null) {
                    return x;
                }
            }
        }
        return null;
    }

    private static Object takeSlot(AtomicReferenceArray<Object> a, int i) {
        return a.getPlain(i) == null ? null : a.getAndSet(i, null);   // keeps I1
    }

    private static int stripe() {
        long id = Thread.currentThread().threadId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 58) & (STRIPES - 1);
    }

    /** Whether caches are cleared at garbage collections on this JVM. */
    static boolean clearsAtGc() {
        return PoolCleanup.ACTIVE;
    }

    @Override
    public String toString() {
        return "Pool[" + (newFn == null ? "no newFn" : "newFn") + "]";
    }
}
