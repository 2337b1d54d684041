package dev.goloom;

/**
 * A handle on a goroutine. Go gives goroutines no identity; goloom does, for debugging only:
 * ids appear in {@link Go#dump()} and are unique, positive and increasing within a process.
 */
public interface Goroutine {
    /** The goroutine's id, as printed in dumps ({@code goroutine 7 [...]}). */
    long id();

    /** The name given to {@link Go#go(String, Task)}, else {@code "goroutine-<id>"}. */
    String name();

    /** The state right now (a snapshot; it may change as soon as it is read). */
    GoroutineState state();
}
