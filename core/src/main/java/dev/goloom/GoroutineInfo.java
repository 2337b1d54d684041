package dev.goloom;

import java.time.Duration;

/**
 * A snapshot of one goroutine, as {@link GoRuntime#goroutines()} returns it.
 *
 * @param id         the goroutine id
 * @param name       its name
 * @param state      its state when the snapshot was taken
 * @param waitReason Go's wait reason ({@code "chan receive"}, {@code "sync.Mutex.Lock"}, ...) for a
 *                   waiting goroutine, else the state word ({@code "running"}, {@code "runnable"})
 * @param waitingFor how long it has been waiting ({@link Duration#ZERO} unless WAITING)
 * @param stack      its stack, innermost frame first (goloom's own frames trimmed)
 */
public record GoroutineInfo(long id, String name, GoroutineState state, String waitReason,
                            Duration waitingFor, StackTraceElement[] stack) {
}
