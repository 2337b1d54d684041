package dev.goloom.sync;

import dev.goloom.GoInterruptedException;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.syncx.Sema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A reader/writer mutual exclusion lock: Go's {@code sync.RWMutex}. Any number of readers or a
 * single writer may hold it.
 *
 * <p>If a goroutine holds the lock for reading and another calls {@link #lock()}, no goroutine
 * should expect to acquire the read lock until the first read lock is released: a blocked writer
 * holds back new readers, so readers can never starve a writer, and a writer that unlocks lets
 * every reader that queued behind it in before the next writer. A goroutine therefore must not
 * take the read lock recursively (it may deadlock with a waiting writer), exactly as in Go.
 * Neither lock is tied to a goroutine: one goroutine may {@code rLock} and another
 * {@code rUnlock}.
 *
 * {@snippet :
 * RWMutex mu = new RWMutex();
 * Map<String, String> cache = new HashMap<>();
 *
 * String get(String k) {
 *     mu.rLock();
 *     try {
 *         return cache.get(k);
 *     } finally {
 *         mu.rUnlock();
 *     }
 * }
 *
 * void put(String k, String v) {
 *     mu.lock();
 *     try {
 *         cache.put(k, v);
 *     } finally {
 *         mu.unlock();
 *     }
 * }
 * }
 *
 * <h2>Blocking and interruption</h2>
 * A blocked {@link #rLock()} shows in dumps as {@code [sync.RWMutex.RLock]}, a blocked
 * {@link #lock()} as {@code [sync.RWMutex.Lock]}. {@code lock()} answers {@link Thread#interrupt()}
 * with {@link GoInterruptedException} (flag kept, nothing held) while it waits for another
 * <em>writer</em>; once it has announced itself to the readers, it finishes waiting for the
 * active readers to leave (they hold the lock and will) and keeps the interrupt flag set.
 * {@code rLock()} does not answer interrupts (the flag is kept): a reader queued behind a writer is
 * already counted in the reader count, and Go's algorithm has no way to uncount it.
 *
 * <h2>Misuse</h2>
 * {@code rUnlock()} without a read lock throws {@link IllegalStateException}
 * ({@code "sync: RUnlock of unlocked RWMutex"}), {@code unlock()} without the write lock
 * {@code "sync: Unlock of unlocked RWMutex"}; both are fatal errors in Go. A misuse on its own
 * leaves the lock's state unchanged; a misuse that races other calls of the same lock (an
 * {@code unlock()} racing a misused {@code rUnlock()}, say) may not, as in Go, where the program
 * would already have died: treat the lock as broken after any misuse
 * ({@code RWMutexLincheckTest#misuseIsNotAtomic}).
 *
 * <h2>Memory consistency effects</h2>
 * As in Go: the n'th {@code unlock()} happens-before the m'th {@code lock()} returns (n &lt; m);
 * for any {@code rLock()}, there is an n such that the n'th {@code unlock()} happens-before that
 * {@code rLock()} returns, and the matching {@code rUnlock()} happens-before the n+1'th
 * {@code lock()} returns.
 */
public final class RWMutex {
    /* Implementation notes
     *
     * Overview
     *   Go's algorithm. readerCount counts readers holding or waiting for the read lock; a writer
     *   (first serialized on the Mutex w) subtracts MAX_READERS from it, which makes it negative:
     *   a sign every arriving reader sees, so it waits on readerSem. The writer then waits on
     *   writerSem until the r readers that were active at its announcement have left: each of
     *   those, seeing a negative count in rUnlock, decrements readerWait, and the last one
     *   releases writerSem. unlock adds MAX_READERS back and releases readerSem once per
     *   reader that queued meanwhile, then unlocks w.
     *
     * Lineage
     *   golang/go src/sync/rwmutex.go @go1.23. Deviations: the misuse checks undo their counter
     *   change before throwing (Go dies); w.lock() records "sync.RWMutex.Lock" rather than Go's
     *   "sync.Mutex.Lock"; lock() is interruptible while in w.lock().
     *
     * Invariants
     *   I1 readerCount >= 0 when no writer is pending; in [-MAX_READERS, 0) plus the queued
     *      readers while one is (at most one writer at a time: it holds w).
     *   I2 readerWait counts active readers the pending writer still waits for; readerWait is
     *      only touched while w is held by a writer that has announced itself.
     *
     * Ownership & locking
     *   readerCount/readerWait: atomics, no lock. w: held by the (pending or active) writer for
     *   its whole tenure, so SyncDebug reports the writer as w's owner.
     *
     * Memory ordering
     *   readerCount's getAndAdd (volatile) orders readers against the writer's announcement; the
     *   semaphores' release/acquire pairs (Sema notes) carry the rest: the last departing reader's
     *   rUnlock happens-before the writer's lock() returns; the writer's unlock happens-before each
     *   released reader's rLock returns.
     *
     * Rejected alternatives
     *   ReentrantReadWriteLock: no writer preference in its non-fair mode, reentrancy and owner
     *   tracking we must not have (Go's lock may be unlocked by another goroutine), no wait reason.
     */

    /** Go's rwmutexMaxReaders. */
    static final int MAX_READERS = 1 << 30;

    private final Mutex w = new Mutex();
    private final Sema writerSem = new Sema();
    private final Sema readerSem = new Sema();
    private volatile int readerCount;
    private volatile int readerWait;

    private static final VarHandle READER_COUNT;
    private static final VarHandle READER_WAIT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER_COUNT = l.findVarHandle(RWMutex.class, "readerCount", int.class);
            READER_WAIT = l.findVarHandle(RWMutex.class, "readerWait", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Creates an unlocked RWMutex (Go's zero value). */
    public RWMutex() {
    }

    /** Locks for reading; blocks while a writer holds the lock or is waiting for it. */
    public void rLock() {
        if ((int) READER_COUNT.getAndAdd(this, 1) + 1 < 0) {
            // a writer is pending: wait for it to release us (keeps I1)
            readerSem.acquire(this, WaitReason.RWMUTEX_RLOCK, false);
        }
    }

    /**
     * Tries to lock for reading without blocking: Go's {@code TryRLock}.
     *
     * @return false if a writer holds the lock or is waiting for it
     */
    public boolean tryRLock() {
        for (;;) {
            int c = readerCount;
            if (c < 0) {
                return false;
            }
            if (READER_COUNT.compareAndSet(this, c, c + 1)) {
                return true;
            }
        }
    }

    /**
     * Undoes one {@link #rLock()}.
     *
     * @throws IllegalStateException {@code "sync: RUnlock of unlocked RWMutex"} if not read-locked
     */
    public void rUnlock() {
        int r = (int) READER_COUNT.getAndAdd(this, -1) - 1;
        if (r < 0) {
            rUnlockSlow(r);
        }
    }

    private void rUnlockSlow(int r) {
        if (r + 1 == 0 || r + 1 == -MAX_READERS) {
            READER_COUNT.getAndAdd(this, 1);   // undo: leave the state as it was
            throw new IllegalStateException("sync: RUnlock of unlocked RWMutex");
        }
        // a writer is pending (I2)
        if ((int) READER_WAIT.getAndAdd(this, -1) - 1 == 0) {
            writerSem.release(1, false);       // the last reader unblocks the writer
        }
    }

    /**
     * Locks for writing; blocks while any reader or writer holds the lock. New readers are held
     * back from the moment this call has the writers' turn.
     *
     * @throws GoInterruptedException if interrupted while waiting for another writer
     */
    public void lock() {
        w.lock(WaitReason.RWMUTEX_LOCK, true);   // first, resolve competition with other writers
        // announce to readers there is a pending writer
        int r = (int) READER_COUNT.getAndAdd(this, -MAX_READERS);
        // wait for active readers (keeps I2)
        if (r != 0 && (int) READER_WAIT.getAndAdd(this, r) + r != 0) {
            writerSem.acquire(this, WaitReason.RWMUTEX_LOCK, false);
        }
    }

    /**
     * Tries to lock for writing without blocking: Go's {@code TryLock}. As Go's, it may fail
     * spuriously when it races another {@code tryLock()}, a reader, or the writer's
     * {@code unlock()} (which re-admits readers before it lets writers in): it can fail although
     * the lock was free ({@code RWMutexLincheckTest#concurrentTryLocksFailSpuriously}); it never
     * succeeds while a reader or writer holds the lock.
     *
     * @return true if the write lock was taken; false if a reader or writer holds the lock, or
     *         (rarely) when racing another locker
     */
    public boolean tryLock() {
        if (!w.tryLock()) {
            return false;
        }
        if (!READER_COUNT.compareAndSet(this, 0, -MAX_READERS)) {
            w.unlock();
            return false;
        }
        return true;
    }

    /**
     * Unlocks for writing; readers that queued behind the writer go first, then the next writer.
     *
     * @throws IllegalStateException {@code "sync: Unlock of unlocked RWMutex"} if not write-locked
     */
    public void unlock() {
        // announce to readers there is no active writer
        int r = (int) READER_COUNT.getAndAdd(this, MAX_READERS) + MAX_READERS;
        if (r >= MAX_READERS) {
            READER_COUNT.getAndAdd(this, -MAX_READERS);   // undo
            throw new IllegalStateException("sync: Unlock of unlocked RWMutex");
        }
        // unblock the readers that queued meanwhile
        readerSem.release(r, false);
        // allow other writers to proceed
        w.unlock();
    }

    /** The writer-serializing Mutex (SyncDebug reads its owner). */
    Mutex writerMutex() {
        return w;
    }

    /** Readers holding or waiting for the lock, negative while a writer is pending (tests). */
    int readerCount() {
        return readerCount;
    }

    @Override
    public String toString() {
        int c = readerCount;
        return c < 0 ? "RWMutex[writer, readers=" + (c + MAX_READERS) + "]"
                : "RWMutex[readers=" + c + "]";
    }
}
