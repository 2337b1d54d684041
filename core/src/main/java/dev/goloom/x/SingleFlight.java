package dev.goloom.x;

import dev.goloom.GoInterruptedException;
import dev.goloom.sync.WaitGroup;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Duplicate call suppression: Go's {@code golang.org/x/sync/singleflight.Group}.
 *
 * <p>{@link #run(Object, Callable) run(key, fn)} calls {@code fn} and returns its result, but if
 * a call for the same key is already in flight, it does not call {@code fn} again: it waits for
 * that call and shares its outcome — the same value, or the same failure. Once a call has
 * finished, the next {@code run} for its key calls {@code fn} anew: nothing is cached.
 *
 * {@snippet :
 * SingleFlight<String, Profile> flight = new SingleFlight<>();
 *
 * Profile profile(String user) {
 *     // a thousand concurrent requests for one user: one database query
 *     return flight.run(user, () -> db.loadProfile(user));
 * }
 * }
 *
 * <h2>Failures</h2>
 * If {@code fn} throws, every caller that shared the call gets the failure: the same exception
 * object, itself if unchecked, else wrapped in a {@link RuntimeException} whose cause it is. (Go
 * returns the error to every caller, and re-panics a panic in every one.)
 *
 * <h2>Blocking and interruption</h2>
 * A caller waiting for another's call shows as {@code [sync.WaitGroup.Wait]}; an interrupt ends
 * its wait with {@link GoInterruptedException} (flag kept) without affecting the call.
 *
 * <h2>Memory consistency effects</h2>
 * Actions of {@code fn} happen-before every {@code run} that returns its outcome.
 *
 * @param <K> the key type (compared with {@code equals}; null is a key like any other)
 * @param <V> the result type
 */
public final class SingleFlight<K, V> {
    /* Implementation notes
     *
     * Overview
     *   Go's: under a lock, a map from key to the call in flight. The first caller registers a
     *   call (a WaitGroup at 1), runs fn without the lock, stores the outcome, then under the
     *   lock marks the call done and removes it from the map (unless forget() already did).
     *   Later callers for the key count themselves as duplicates and wait on the WaitGroup.
     *
     * Lineage
     *   golang.org/x/sync singleflight/singleflight.go (Group.Do, Forget, Result.Shared).
     *   Deviations: no DoChan; a panic and an error are one thing (an exception); no Goexit.
     *
     * Invariants (under mu)
     *   I1 calls.get(k) is either absent or a call whose fn has not yet finished, or finished
     *      while its caller was between storing the outcome and taking mu.
     *   I2 a call's outcome (value/failure) is written once, before wg.done().
     *
     * Ownership & locking
     *   calls and Call.dups are guarded by mu (a leaf lock, held for map operations only; a JDK
     *   lock so no goroutine is ever blocked on it for long). value/failure: written by the
     *   calling goroutine only, before wg.done().
     *
     * Memory ordering
     *   The outcome is published by wg.done() and read after wg.await() (WaitGroup's
     *   happens-before edge); the caller itself reads its own writes.
     *
     * Rejected alternatives
     *   ConcurrentHashMap.computeIfAbsent with a CompletableFuture: the same idea, but waits
     *   would park as [waiting] and forget() during the call would need a second map.
     */

    private final ReentrantLock mu = new ReentrantLock();
    private final HashMap<K, Call<V>> calls = new HashMap<>();

    private static final class Call<V> {
        final WaitGroup wg = new WaitGroup();
        V value;
        Throwable failure;
        int dups;                          // guarded by mu
    }

    /** The outcome of {@link #runShared}: the value, and whether it was given to several callers. */
    public record Result<V>(V value, boolean shared) {
    }

    /** An empty group (Go's zero {@code singleflight.Group}). */
    public SingleFlight() {
    }

    /**
     * Returns the result of {@code fn}, sharing one call among all concurrent callers for
     * {@code key}: Go's {@code Do}.
     *
     * @throws RuntimeException the call's failure (itself if unchecked, else wrapping it)
     * @throws Error the call's failure, if it was an error
     * @throws GoInterruptedException if interrupted while waiting for another caller's call
     */
    public V run(K key, Callable<V> fn) {
        return runShared(key, fn).value();
    }

    /**
     * As {@link #run(Object, Callable)}, also telling whether the value was shared with other
     * callers: Go's {@code Do} with its {@code shared} result.
     */
    public Result<V> runShared(K key, Callable<V> fn) {
        Objects.requireNonNull(fn, "singleflight: run with a null function");
        Call<V> c;
        boolean joined;
        mu.lock();
        try {
            c = calls.get(key);
            joined = c != null;
            if (joined) {
                c.dups++;
            } else {
                c = new Call<>();
                c.wg.add(1);
                calls.put(key, c);         // keeps I1
            }
        } finally {
            mu.unlock();
        }
        if (joined) {
            c.wg.await();
            return outcome(c, true);
        }
        return outcome(c, doCall(c, key, fn));
    }

    /** Runs fn for c; returns whether other callers joined it (read under mu after the last join). */
    private boolean doCall(Call<V> c, K key, Callable<V> fn) {
        boolean shared;
        try {
            c.value = fn.call();
        } catch (Throwable t) {
            c.failure = t instanceof Error ? t : Failures.wrap(t);   // keeps I2
        } finally {
            mu.lock();
            try {
                c.wg.done();
                if (calls.get(key) == c) {
                    calls.remove(key);     // keeps I1 (unless forget() removed it)
                }
                shared = c.dups > 0;       // final: c left the map, so nobody joins it any more
            } finally {
                mu.unlock();
            }
        }
        return shared;
    }

    private Result<V> outcome(Call<V> c, boolean shared) {
        Throwable f = c.failure;
        if (f != null) {
            throw Failures.rethrow(f);     // keeps I2: already an Error or a RuntimeException
        }
        return new Result<>(c.value, shared);
    }

    /**
     * Forgets the call in flight for {@code key}, if any: later {@code run}s for the key call
     * their function instead of waiting for it. Callers already waiting still get its outcome.
     * Go's {@code Forget}.
     */
    public void forget(K key) {
        mu.lock();
        try {
            calls.remove(key);
        } finally {
            mu.unlock();
        }
    }

    /** The number of calls in flight (a snapshot, for monitoring and tests). */
    public int inFlight() {
        mu.lock();
        try {
            return calls.size();
        } finally {
            mu.unlock();
        }
    }
}
