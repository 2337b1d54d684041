package dev.goloom;

/**
 * Thrown by {@link Go#main(Task)} when every goroutine is asleep and none can ever wake: Go's
 * {@code fatal error: all goroutines are asleep - deadlock!}. The message starts with those words
 * and goes on with the dump of every goroutine.
 */
public final class DeadlockError extends Error {
    private static final long serialVersionUID = 1L;

    /** The first line of the message, as Go prints it. */
    public static final String PREFIX = "all goroutines are asleep - deadlock!";

    public DeadlockError() {
        super(PREFIX);
    }

    /** A deadlock error whose message is {@link #PREFIX}, a blank line and {@code dump}. */
    public DeadlockError(String dump) {
        super(dump == null || dump.isEmpty() ? PREFIX : PREFIX + "\n\n" + dump);
    }
}
