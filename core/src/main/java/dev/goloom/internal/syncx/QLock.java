package dev.goloom.internal.syncx;

import java.lang.invoke.VarHandle;

/**
 * The short spin lock that guards a wait queue of the sync package: Go's runtime {@code mutex}
 * as used by {@code semaRoot.lock} and {@code notifyList.lock}. The lock word is an {@code int}
 * field of the owning object, reached through the owner's {@link VarHandle}.
 */
public final class QLock {
    /* Implementation notes
     *
     * Overview
     *   A test-and-test-and-set lock on an int field (0 free, 1 held). Critical sections under it
     *   are a handful of field writes (link or unlink a waiter, one CAS on a state word); nobody
     *   parks, allocates or calls user code while holding it, so contention is short. A waiter
     *   spins with Thread.onSpinWait, and after SPINS failed rounds yields its carrier (Go's
     *   lock_futex.go: spin, osyield, then sleep; we never sleep: the holder cannot block).
     *
     * Lineage
     *   golang/go src/runtime/lock_futex.go (lock2/unlock2), without the futex sleep.
     *
     * Invariants
     *   I1 the word is 1 exactly while one thread is between acquire() and release().
     *   I2 no thread parks, blocks, or runs foreign code while holding the lock.
     *
     * Memory ordering
     *   acquire: weakCompareAndSetAcquire 0 -> 1 pairs with release()'s setRelease(0), so every
     *   write made under the lock by the previous holder is visible to the next.
     *
     * Rejected alternatives
     *   A ReentrantLock or synchronized per queue: an extra object (or monitor inflation) per
     *   Mutex and a park on contention, for sections a few nanoseconds long.
     */
    private static final int SPINS = 64;

    private QLock() {
    }

    /** Takes the lock held in {@code word} of {@code owner}; spins, then yields. */
    public static void acquire(VarHandle word, Object owner) {
        if (word.weakCompareAndSetAcquire(owner, 0, 1)) {
            return;
        }
        acquireSlow(word, owner);
    }

    private static void acquireSlow(VarHandle word, Object owner) {
        int spins = 0;
        for (;;) {
            if ((int) word.getOpaque(owner) == 0 && word.weakCompareAndSetAcquire(owner, 0, 1)) {
                return;
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();   // the holder's carrier may have been descheduled by the OS
            }
        }
    }

    /** Releases the lock; the caller holds it (I1). */
    public static void release(VarHandle word, Object owner) {
        word.setRelease(owner, 0);   // release: pairs with acquire()'s CAS
    }
}
