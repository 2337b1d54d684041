package dev.goloom;

/**
 * Thrown by a blocking goloom call (channel send or receive, select, a lock, a wait, a sleep)
 * when the calling thread is interrupted with {@link Thread#interrupt()} while it blocks, or was
 * already interrupted when it called. The interrupt flag stays set, so callers further up still
 * see it. The operation that threw did not happen: no value was sent or taken, no lock is held.
 *
 * <p>Go has no interrupts; this is the unchecked form of {@link InterruptedException}, which is
 * kept as the cause.
 */
public class GoInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GoInterruptedException() {
        super("interrupted", new InterruptedException());
    }

    public GoInterruptedException(String message) {
        super(message, new InterruptedException(message));
    }
}
