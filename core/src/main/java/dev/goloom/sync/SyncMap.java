package dev.goloom.sync;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * A map safe for concurrent use by many goroutines without extra locking: Go's {@code sync.Map}.
 * Unlike {@link ConcurrentHashMap}, it takes {@code null} keys and {@code null} values, as Go's
 * map takes nil.
 *
 * {@snippet :
 * SyncMap<String, Session> sessions = new SyncMap<>();
 * sessions.store(id, session);
 * Session s = sessions.load(id);               // null if absent (or stored as null)
 * sessions.range((k, v) -> {                   // return false to stop
 *     v.ping();
 *     return true;
 * });
 * }
 *
 * <h2>Absent versus null</h2>
 * Go's methods return a value and a boolean ({@code v, ok := m.Load(k)}). The methods of the
 * contract return only the value, so a {@code null} result means either "absent" or "present
 * with the value null". When that matters, use the {@code ...Ok} variants, which return Go's pair
 * as a {@link Result} ({@code value}, {@code ok}): {@link #loadOk}, {@link #loadOrStoreOk},
 * {@link #loadAndDeleteOk}, {@link #swapOk}.
 *
 * <h2>Equality</h2>
 * Keys are compared with {@code equals}/{@code hashCode}, as in every Java map.
 * {@link #compareAndSwap} and {@link #compareAndDelete} compare the current value with
 * {@code equals} ({@code null} matches only a present {@code null}); Go compares with
 * {@code ==}, which for Go's comparable values is value equality.
 *
 * <h2>Range</h2>
 * {@link #range} calls its function for each entry until it returns false. As in Go, it is not a
 * consistent snapshot: each key is visited at most once, but if an entry is stored or deleted
 * concurrently, range may or may not see it. The map may be modified during range, including by
 * the function itself.
 *
 * <h2>Blocking</h2>
 * No method blocks on other goroutines (the underlying map may briefly lock a bin while writing).
 *
 * <h2>Memory consistency effects</h2>
 * A write operation (store, the storing case of loadOrStore, swap, a successful compareAndSwap,
 * delete) happens-before any read operation that observes its effect (Go: "a write operation
 * synchronizes before any read operation that observes the effect of the write").
 */
public final class SyncMap<K, V> {
    /* Implementation notes
     *
     * Overview
     *   A ConcurrentHashMap<Object, Object> with null keys and values replaced by the sentinel
     *   NIL on the way in and back to null on the way out. Every Go method is one CHM atomic
     *   operation (get, put, putIfAbsent, remove, replace, compute-free), so each is linear-
     *   izable, as Go's.
     *
     * Lineage
     *   golang/go src/sync/map.go (the API and its memory model paragraph). Go's read-only map
     *   plus dirty map with a mutex is an answer to Go's built-in map not being concurrent; the
     *   JDK already has a concurrent hash map with lock-free reads, so the algorithm is not
     *   ported (as the issue asks).
     *
     * Invariants
     *   I1 the CHM never holds a Java null (CHM forbids it); a Go nil is always NIL.
     *
     * Memory ordering
     *   That of ConcurrentHashMap: a completed update happens-before a retrieval that sees it.
     *
     * Rejected alternatives
     *   Optional wrappers for null values: Optional cannot hold null, and an allocation per
     *   store; a single NIL sentinel costs nothing.
     */

    /**
     * Go's two results {@code (value, ok)}: {@code ok} says whether the key was present (for
     * {@link #loadOrStoreOk}: whether the value was loaded rather than stored).
     *
     * @param value the value (null when absent, or when present as null)
     * @param ok    whether the key was present
     */
    public record Result<V>(V value, boolean ok) {
    }

    private static final Object NIL = new Object() {
        @Override
        public String toString() {
            return "nil";
        }
    };

    private final ConcurrentHashMap<Object, Object> m = new ConcurrentHashMap<>();

    /** An empty map (Go's zero value). */
    public SyncMap() {
    }

    private static Object wrap(Object x) {
        return x == null ? NIL : x;   // keeps I1
    }

    @SuppressWarnings("unchecked")
    private static <T> T unwrap(Object x) {
        return x == NIL ? null : (T) x;
    }

    /** The value stored for {@code k}, or null if there is none (see "Absent versus null"). */
    public V load(K k) {
        return unwrap(m.get(wrap(k)));
    }

    /** Go's {@code v, ok := m.Load(k)}: ok is whether {@code k} is present. */
    public Result<V> loadOk(K k) {
        Object x = m.get(wrap(k));
        return x == null ? new Result<>(null, false) : new Result<>(unwrap(x), true);
    }

    /** Sets the value for {@code k}. */
    public void store(K k, V v) {
        m.put(wrap(k), wrap(v));
    }

    /**
     * Returns the existing value for {@code k} if present; otherwise stores {@code v} and returns
     * it: Go's {@code actual} result. Use {@link #loadOrStoreOk} to learn which happened.
     */
    public V loadOrStore(K k, V v) {
        Object prev = m.putIfAbsent(wrap(k), wrap(v));
        return prev == null ? v : unwrap(prev);
    }

    /** Go's {@code actual, loaded := m.LoadOrStore(k, v)}: ok is {@code loaded}. */
    public Result<V> loadOrStoreOk(K k, V v) {
        Object prev = m.putIfAbsent(wrap(k), wrap(v));
        return prev == null ? new Result<>(v, false) : new Result<>(unwrap(prev), true);
    }

    /** Deletes the value for {@code k}, returning the previous value (null if there was none). */
    public V loadAndDelete(K k) {
        return unwrap(m.remove(wrap(k)));
    }

    /** Go's {@code value, loaded := m.LoadAndDelete(k)}. */
    public Result<V> loadAndDeleteOk(K k) {
        Object prev = m.remove(wrap(k));
        return prev == null ? new Result<>(null, false) : new Result<>(unwrap(prev), true);
    }

    /** Deletes the value for {@code k}. */
    public void delete(K k) {
        m.remove(wrap(k));
    }

    /** Stores {@code v} for {@code k} and returns the previous value (null if there was none). */
    public V swap(K k, V v) {
        return unwrap(m.put(wrap(k), wrap(v)));
    }

    /** Go's {@code previous, loaded := m.Swap(k, v)}. */
    public Result<V> swapOk(K k, V v) {
        Object prev = m.put(wrap(k), wrap(v));
        return prev == null ? new Result<>(null, false) : new Result<>(unwrap(prev), true);
    }

    /**
     * Swaps the value for {@code k} to {@code nu} if it is present and equal to {@code old}.
     * An absent key never matches, not even {@code old == null}.
     */
    public boolean compareAndSwap(K k, V old, V nu) {
        return m.replace(wrap(k), wrap(old), wrap(nu));
    }

    /** Deletes the entry for {@code k} if its value equals {@code old}: Go's CompareAndDelete. */
    public boolean compareAndDelete(K k, V old) {
        return m.remove(wrap(k), wrap(old));
    }

    /**
     * Calls {@code f} for each key and value present, stopping when it returns false. See
     * "Range" in the class documentation for what it sees under concurrent modification.
     */
    public void range(BiPredicate<K, V> f) {
        Objects.requireNonNull(f, "sync: SyncMap.range(null)");
        for (Map.Entry<Object, Object> e : m.entrySet()) {
            if (!f.test(unwrap(e.getKey()), unwrap(e.getValue()))) {
                return;
            }
        }
    }

    /** Deletes every entry: Go 1.23's {@code Clear}. */
    public void clear() {
        m.clear();
    }

    @Override
    public String toString() {
        return "SyncMap" + m;
    }
}
