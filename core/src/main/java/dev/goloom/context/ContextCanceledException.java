package dev.goloom.context;

/**
 * The error of a context cancelled by its cancel function: Go's {@code context.Canceled}.
 * {@link Context#err()} returns one shared, stackless instance; compare with {@code instanceof}.
 */
public class ContextCanceledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The instance {@link Context#err()} returns. */
    static final ContextCanceledException CANCELED = new ContextCanceledException();

    /** A stackless exception with Go's message, "context canceled". */
    public ContextCanceledException() {
        super("context canceled", null, false, false);
    }
}
