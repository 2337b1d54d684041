package dev.goloom.internal.trace;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attributes new goroutines to the thread that started a {@link Scope}: the goroutines that
 * thread creates and, transitively, the goroutines those create. The leak extension uses one
 * scope per test, so parallel tests do not blame each other.
 */
public final class CreationTracker implements Trace.Sink {
    /* Implementation notes
     *
     * Overview
     *   A Trace sink interested only in GO_CREATE. Trace's contract C2 says GO_CREATE is emitted
     *   on the creating thread before the child can run. So when it arrives, either the parent
     *   goroutine (arg) belongs to a scope (byGoid) and the child joins that scope, or the
     *   creating thread itself opened a scope (byThread) and the child joins that one.
     *   Attribution is therefore exact: it needs no stack inspection and no timing.
     *   GO_END drops the goroutine from byGoid (a dead goroutine creates nothing more; by C2 its
     *   children were attributed before it ended); the scope keeps its id.
     *
     * Invariants
     *   I1 a goroutine id is in at most one scope.
     *   I2 the sink is installed iff at least one scope is open.
     *
     * Ownership & locking
     *   byThread, byGoid: ConcurrentHashMaps written by creating threads and by Scope.close().
     *   install/uninstall: synchronized on the class, with the open-scope count.
     *
     * Memory ordering
     *   A child is put in byGoid (CHM put: release) before newproc starts it; the child's own
     *   GO_CREATE events for grandchildren read byGoid (CHM get: acquire) after it started
     *   (Thread.start happens-before). So a grandchild always finds its parent's scope.
     *
     * Rejected alternatives
     *   Diffing goroutine snapshots before/after a test: cannot tell two parallel tests apart.
     *   InheritableThreadLocal marks: cannot be read from outside the goroutine.
     *   A creator-thread field on every g: keeps every creating thread reachable.
     */
    private CreationTracker() {
    }

    private static final CreationTracker SINK = new CreationTracker();
    private static final ConcurrentHashMap<Thread, Scope> BY_THREAD = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Scope> BY_GOID = new ConcurrentHashMap<>();
    private static final AtomicLong CREATES_SEEN = new AtomicLong();
    private static int open;   // guarded by CreationTracker.class

    /** Goroutines created, transitively, by one thread since {@link #open()}. */
    public static final class Scope implements AutoCloseable {
        private final Thread owner;
        private final Set<Long> ids = ConcurrentHashMap.newKeySet();
        private final long createsAtOpen;
        private volatile boolean closed;

        private Scope(Thread owner) {
            this.owner = owner;
            this.createsAtOpen = CREATES_SEEN.get();
        }

        /** Ids of the goroutines attributed to this scope (alive or not). */
        public Set<Long> ids() {
            return Set.copyOf(ids);
        }

        /**
         * true when some GO_CREATE event arrived since the scope opened (from any thread). If
         * goroutines were created meanwhile but none arrived, the scheduler does not emit GO_CREATE
         * and the scope's attribution is empty, not exact.
         */
        public boolean createEventsSeen() {
            return CREATES_SEEN.get() != createsAtOpen;
        }

        /** Stops attributing; the recorded ids stay readable. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            BY_THREAD.remove(owner, this);
            for (Long id : ids) {
                BY_GOID.remove(id, this);
            }
            release();
        }
    }

    /**
     * Opens a scope for the calling thread (one per thread: a second open replaces the first,
     * which stops attributing).
     */
    public static Scope open() {
        acquire();
        Scope s = new Scope(Thread.currentThread());
        Scope old = BY_THREAD.put(s.owner, s);
        if (old != null) {
            old.close();
        }
        return s;
    }

    private static synchronized void acquire() {
        if (open++ == 0) {
            Trace.add(SINK);                            // keeps I2
        }
    }

    private static synchronized void release() {
        if (--open == 0) {
            Trace.remove(SINK);                         // keeps I2
        }
    }

    @Override
    public void event(int kind, int p, long goid, long arg) {
        if (kind == Trace.GO_CREATE) {
            CREATES_SEEN.incrementAndGet();
            Scope s = arg > 0 ? BY_GOID.get(arg) : null;
            if (s == null) {
                s = BY_THREAD.get(Thread.currentThread());
            }
            if (s != null && !s.closed) {
                s.ids.add(goid);
                BY_GOID.put(goid, s);                   // keeps I1: ids are unique
            }
        } else if (kind == Trace.GO_END) {
            BY_GOID.remove(goid);
        }
    }
}
