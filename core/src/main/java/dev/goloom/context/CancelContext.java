package dev.goloom.context;

/**
 * A context with its cancel function: what Go's {@code WithCancel}, {@code WithCancelCause},
 * {@code WithDeadline} and {@code WithTimeout} return as a pair. {@link #close()} cancels, so
 * try-with-resources replaces Go's {@code defer cancel()}.
 *
 * {@snippet :
 * try (CancelContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2))) {
 *     return fetch(ctx);
 * }   // cancelled here, releasing its timer and its place among the parent's children
 * }
 *
 * <h2>Memory consistency effects</h2>
 * Actions before {@code cancel} happen-before the close of {@link #done()} is observed, and
 * before {@link #err()} returns non-null in another thread.
 */
public interface CancelContext extends Context, AutoCloseable {
    /**
     * Cancels this context and all its descendants with {@link ContextCanceledException}: Go's
     * {@code cancel()}. Only the first cancellation counts; later calls do nothing. Never blocks.
     */
    void cancel();

    /**
     * As {@link #cancel()}, recording {@code cause} (Go's {@code WithCancelCause}):
     * {@link #cause()} of this context and its descendants returns it, while {@link #err()} is
     * still {@link ContextCanceledException}. A null cause means the same as {@link #cancel()}.
     */
    void cancel(RuntimeException cause);

    /** The same as {@link #cancel()}. */
    @Override
    void close();
}
