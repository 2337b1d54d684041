package dev.goloom.context;

/**
 * The error of a context whose deadline passed: Go's {@code context.DeadlineExceeded}.
 * {@link Context#err()} returns one shared, stackless instance; compare with {@code instanceof}.
 */
public class DeadlineExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The instance {@link Context#err()} returns. */
    static final DeadlineExceededException DEADLINE_EXCEEDED = new DeadlineExceededException();

    /** A stackless exception with Go's message, "context deadline exceeded". */
    public DeadlineExceededException() {
        super("context deadline exceeded", null, false, false);
    }

    /** True, as Go's {@code DeadlineExceeded.Timeout()} (a net.Error-style timeout). */
    public boolean timeout() {
        return true;
    }

    /** True, as Go's {@code DeadlineExceeded.Temporary()}. */
    public boolean temporary() {
        return true;
    }
}
