package dev.goloom;

/**
 * Thrown by an operation that Go forbids on a closed channel: Go's panics
 * {@code "send on closed channel"} (a send to a closed channel, including a sender that was
 * blocked when the channel was closed, and a select whose chosen send case found the channel
 * closed) and {@code "close of closed channel"}. The message is Go's.
 *
 * <p>Receiving from a closed channel is not an error: it yields the buffered values, then
 * {@code null} with {@code ok == false} (see {@link RecvChan#recvOk()}).
 *
 * {@snippet :
 * Chan<Integer> ch = Chan.make(1);
 * ch.close();
 * try {
 *     ch.send(1);
 * } catch (ChanClosedException e) {
 *     System.out.println(e.getMessage()); // send on closed channel
 * }
 * }
 */
public class ChanClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** With Go's message for a send: {@code "send on closed channel"}. */
    public ChanClosedException() {
        super("send on closed channel");
    }

    /**
     * With the given message.
     *
     * @param message Go's words: "send on closed channel" or "close of closed channel"
     */
    public ChanClosedException(String message) {
        super(message);
    }
}
