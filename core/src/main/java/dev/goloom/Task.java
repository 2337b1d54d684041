package dev.goloom;

/**
 * A goroutine's body: Go's {@code func()} passed to the {@code go} statement.
 *
 * <p>It may throw any exception; an exception that escapes a goroutine is a <em>panic</em>
 * (see {@link Go#go(Task)}). Every blocking call in goloom is unchecked, so a body is usually
 * written as a plain lambda.
 */
@FunctionalInterface
public interface Task {
    /** Runs the body. */
    void run() throws Exception;
}
