package dev.goloom;

import dev.goloom.internal.chan.HChan;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A channel: Go's {@code chan T}. Goroutines (and plain threads) send values into it and
 * receive them from it; an unbuffered channel makes the two meet, a buffered one queues up to
 * {@link #cap()} values in FIFO order.
 *
 * <pre>
 * Go                          goloom
 * ch := make(chan T)          Chan&lt;T&gt; ch = Chan.make();
 * ch := make(chan T, 16)      Chan&lt;T&gt; ch = Chan.make(16);
 * ch &lt;- v                     ch.send(v);
 * v := &lt;-ch                   T v = ch.recv();
 * v, ok := &lt;-ch               Recv&lt;T&gt; r = ch.recvOk();
 * for v := range ch {}        for (T v : ch) {}
 * close(ch)                   ch.close();
 * len(ch), cap(ch)            ch.len(), ch.cap()
 * select { ... }              Select.select(Select.recv(ch, v -&gt; ...), ...)
 * </pre>
 *
 * <p>The semantics are Go's, throughout: an unbuffered send completes only when a receiver has
 * taken the value; a buffered channel is FIFO; a closed channel is always ready to receive
 * (buffered values first, then {@code null} / {@code ok == false}); sending on or closing a
 * closed channel throws {@link ChanClosedException} with Go's message. {@code null} is an
 * ordinary value. See {@link SendChan} and {@link RecvChan} for blocking, interruption and
 * memory consistency; {@link Select} for select.
 *
 * <h2>Implementation</h2>
 * Go's {@code hchan}: a short per-channel lock, a circular buffer, and FIFO queues of parked
 * senders and receivers. A send to a waiting receiver hands the value over directly and wakes
 * it; non-blocking operations that would block answer without taking the lock. A channel
 * costs a few dozen bytes plus its buffer, so millions of channels are fine.
 *
 * {@snippet :
 * Chan<Integer> ch = Chan.make();
 * Go.go(() -> {
 *     for (int i = 0; i < 3; i++) {
 *         ch.send(i);
 *     }
 *     ch.close();
 * });
 * for (int v : ch) {
 *     System.out.println(v);               // 0, 1, 2
 * }
 * }
 *
 * @param <T> the element type; {@code null} is a valid value
 */
public final class Chan<T> implements SendChan<T>, RecvChan<T> {
    /** shared result of a receive from a closed, drained channel. */
    static final Recv<Object> CLOSED_RECV = new Recv<>(null, false);

    static {
        HChan.setAccess(o -> o instanceof Chan<?> ch ? ch.c : null);
    }

    /** the engine. */
    final HChan c;

    private Chan(int capacity) {
        this.c = new HChan(capacity);
    }

    /**
     * An unbuffered channel: Go's {@code make(chan T)}.
     *
     * @param <T> the element type
     * @return a new, open, unbuffered channel
     */
    public static <T> Chan<T> make() {
        return new Chan<>(0);
    }

    /**
     * A channel with a buffer of {@code capacity} values: Go's {@code make(chan T, capacity)};
     * 0 makes an unbuffered channel.
     *
     * @param <T> the element type
     * @param capacity the number of values the channel buffers; 0 for unbuffered
     * @return a new, open channel
     * @throws IllegalArgumentException if {@code capacity < 0} ("makechan: size out of range")
     */
    public static <T> Chan<T> make(int capacity) {
        return new Chan<>(capacity);
    }

    @Override
    public void send(T value) {
        c.chansend(value, true);
    }

    @Override
    public boolean trySend(T value) {
        return c.chansend(value, false);
    }

    @Override
    public void close() {
        c.closechan();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T recv() {
        Object v = c.chanrecv(true);
        return v == HChan.CLOSED ? null : (T) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Recv<T> recvOk() {
        Object v = c.chanrecv(true);
        return v == HChan.CLOSED ? (Recv<T>) CLOSED_RECV : new Recv<>((T) v, true);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Recv<T> tryRecv() {
        Object v = c.chanrecv(false);
        if (v == HChan.WOULD_BLOCK) {
            return null;
        }
        return v == HChan.CLOSED ? (Recv<T>) CLOSED_RECV : new Recv<>((T) v, true);
    }

    @Override
    public int len() {
        return c.len();
    }

    @Override
    public int cap() {
        return c.cap();
    }

    /** Go's {@code for v := range ch}; allocates nothing per element. */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Object next = HChan.WOULD_BLOCK;   // WOULD_BLOCK: nothing fetched yet

            @Override
            public boolean hasNext() {
                if (next == HChan.WOULD_BLOCK) {
                    next = c.chanrecv(true);
                }
                return next != HChan.CLOSED;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed");
                }
                T v = (T) next;
                next = HChan.WOULD_BLOCK;
                return v;
            }
        };
    }

    @Override
    public String toString() {
        return c.toString();
    }
}
