package dev.goloom;

/**
 * The result of a receive that reports whether it got a value: Go's {@code v, ok := <-ch}.
 * {@code ok} is true when {@code value} was sent by a sender (it may be {@code null}, which is a
 * value like any other); false when the channel is closed and drained, and then {@code value}
 * is {@code null} (Go's zero value).
 *
 * @param value the value received, or null once the channel is closed and drained
 * @param ok    whether a value was received (false: closed and drained)
 * @param <T>   the element type
 */
public record Recv<T>(T value, boolean ok) {
}
