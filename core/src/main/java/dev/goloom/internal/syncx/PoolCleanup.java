package dev.goloom.internal.syncx;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Go's {@code poolCleanup}: at every garbage collection, each sync Pool's primary cache becomes
 * its victim cache and the old victim cache is dropped. Pools register here the first time they
 * cache something after a cleanup (Go's {@code allPools}).
 */
public final class PoolCleanup {
    /* Implementation notes
     *
     * Overview
     *   The JDK has no hook that runs "at the start of a GC" as Go's runtime_registerPoolCleanup
     *   does; the nearest is the GarbageCollectorMXBean notification sent after each collection
     *   (young, mixed, full or concurrent cycle). We register one listener on every collector bean
     *   at class initialization and run the cleanup from the JDK's notification thread. Objects
     *   cached in a pool thus survive at most two collections after their last put, as in Go.
     *
     * Lineage
     *   golang/go src/sync/pool.go @go1.23 (poolCleanup, allPools, oldPools, victim caches).
     *
     * Invariants
     *   I1 a Cleanable is in allPools at most once per epoch (its register() is guarded by its
     *      own CAS on the primary cache).
     *
     * Ownership & locking
     *   allPools: lock-free queue, appended by pools, drained by cleanup(). oldPools: touched only
     *   by cleanup(), which is serialized by synchronized (notifications for different collectors
     *   may come from different threads).
     *
     * Memory ordering
     *   The pools' primary/victim fields are volatile; a put racing with cleanup may land in the
     *   cache that is being demoted, which is harmless (it is only a cache).
     *
     * Rejected alternatives
     *   SoftReference-held caches: cleared only near OutOfMemoryError, so pools would keep their
     *   garbage far longer than Go's; and a soft reference per put costs an allocation.
     */

    /** A pool's view for the cleanup. */
    public interface Cleanable {
        /** primary cache becomes the victim; the old victim is dropped. */
        void demote();

        /** the victim cache is dropped. */
        void dropVictim();
    }

    private static final ConcurrentLinkedQueue<Cleanable> ALL_POOLS = new ConcurrentLinkedQueue<>();
    private static List<Cleanable> oldPools = new ArrayList<>();   // guarded by PoolCleanup.class
    private static final AtomicLong EPOCH = new AtomicLong();
    /** false when no collector bean offers notifications (pools are then never cleared). */
    public static final boolean ACTIVE;

    static {
        NotificationListener l = (n, hb) -> cleanup();
        boolean any = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(l, n -> n.getType().equals(
                        "com.sun.management.gc.notification"), null);
                any = true;
            }
        }
        ACTIVE = any;
    }

    private PoolCleanup() {
    }

    /** Records that {@code p} holds cached objects for this epoch (I1). */
    public static void register(Cleanable p) {
        ALL_POOLS.add(p);
    }

    /** The number of cleanups so far (tests wait on it). */
    public static long epoch() {
        return EPOCH.get();
    }

    /** Go's poolCleanup; runs after each collection. */
    static synchronized void cleanup() {
        for (Cleanable p : oldPools) {
            p.dropVictim();
        }
        List<Cleanable> all = new ArrayList<>();
        for (Cleanable p; (p = ALL_POOLS.poll()) != null; ) {
            p.demote();
            all.add(p);
        }
        oldPools = all;
        EPOCH.incrementAndGet();
    }
}
