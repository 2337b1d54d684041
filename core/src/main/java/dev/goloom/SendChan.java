package dev.goloom;

/**
 * The sending side of a channel: Go's {@code chan<- T}. A {@link Chan} is both this and a
 * {@link RecvChan}; hand out a {@code SendChan} to code that should only send.
 *
 * <h2>Blocking and interruption</h2>
 * {@link #send} blocks until a receiver takes the value (unbuffered channel) or until the
 * buffer has room (buffered channel). A blocked send records the wait reason
 * {@code chan send} for {@link Go#dump()} and deadlock detection. If the thread is interrupted
 * while blocked (or is already interrupted when it would block), {@code send} throws
 * {@link GoInterruptedException}, keeps the interrupt flag set, and the value was <em>not</em>
 * sent: it stays with the caller. If the value was delivered at the same moment the interrupt
 * arrived, the send succeeded and returns normally, with the flag still set.
 *
 * <h2>Closed channels</h2>
 * Sending on a closed channel, or being blocked in a send when the channel is closed, throws
 * {@link ChanClosedException} ("send on closed channel"); closing twice throws it too ("close of
 * closed channel"). Only the sender should close a channel, as in Go.
 *
 * <h2>Memory consistency effects</h2>
 * Actions in a thread before a send happen-before the corresponding receive completes, and
 * (Go's rule for unbuffered channels) a receive from an unbuffered channel happens-before the
 * send on it completes. Closing a channel happens-before a receive that returns because the
 * channel is closed.
 *
 * {@snippet :
 * SendChan<String> out = results;       // a Chan<String>
 * out.send("done");                      // blocks until received (unbuffered)
 * if (!out.trySend("extra")) {           // select { case out <- "extra": default: }
 *     System.out.println("nobody ready");
 * }
 * out.close();                           // receivers see the end of the stream
 * }
 *
 * @param <T> the element type; {@code null} is a valid value
 */
public interface SendChan<T> {
    /**
     * Sends a value: Go's {@code ch <- value}. Blocks until it is received (unbuffered) or
     * buffered.
     *
     * @param value the value to send; may be null
     * @throws ChanClosedException if the channel is closed, or is closed while the send waits
     * @throws GoInterruptedException if the thread is interrupted while blocked; nothing sent
     */
    void send(T value);

    /**
     * Sends without blocking: Go's {@code select { case ch <- v: default: }}. Never blocks and
     * never throws {@link GoInterruptedException}.
     *
     * @param value the value to send; may be null
     * @return true if the value was handed to a waiting receiver or buffered; false if the send
     *         would have blocked
     * @throws ChanClosedException if the channel is closed
     */
    boolean trySend(T value);

    /**
     * Closes the channel: Go's {@code close(ch)}. Blocked receivers wake with
     * {@code null}/{@code ok == false} (after the buffer is drained); blocked senders wake and
     * throw {@link ChanClosedException}.
     *
     * @throws ChanClosedException "close of closed channel" if already closed
     */
    void close();

    /**
     * The number of values buffered: Go's {@code len(ch)} (always 0 when unbuffered).
     *
     * @return a snapshot of the number of buffered values
     */
    int len();

    /**
     * The buffer's capacity: Go's {@code cap(ch)}.
     *
     * @return the capacity given to {@link Chan#make(int)}
     */
    int cap();
}
