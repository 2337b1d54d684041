package dev.goloom;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The receiving side of a channel: Go's {@code <-chan T}. A {@link Chan} is both this and a
 * {@link SendChan}; hand out a {@code RecvChan} to code that should only receive.
 *
 * <p>Iterating a {@code RecvChan} is Go's {@code for v := range ch}: each step receives (and
 * blocks), and the iteration ends once the channel is closed and drained. {@link #stream()}
 * does the same as a sequential, ordered stream.
 *
 * <h2>Blocking and interruption</h2>
 * {@link #recv}, {@link #recvOk}, iteration and streams block while the channel is empty and
 * open, recording the wait reason {@code chan receive} for {@link Go#dump()} and deadlock
 * detection. If the thread is interrupted while blocked (or is already interrupted when it
 * would block) they throw {@link GoInterruptedException} and keep the interrupt flag set;
 * nothing was received, so the value stays in the channel (or with its sender). If a value was
 * handed over at the same moment the interrupt arrived, the receive returns it normally, with
 * the flag still set.
 *
 * <h2>Closed channels</h2>
 * A closed channel is always ready: first the values still buffered, then {@code null}
 * ({@link #recv}) or {@code Recv(null, false)} ({@link #recvOk}) forever. Since {@code null} is
 * a valid value, use {@link #recvOk} to tell "received null" from "closed".
 *
 * <h2>Memory consistency effects</h2>
 * Actions before a send happen-before the receive of that value completes; actions before
 * {@code close} happen-before a receive that reports the channel closed.
 *
 * {@snippet :
 * RecvChan<Integer> in = numbers;         // a Chan<Integer>
 * for (Integer n : in) {                   // for n := range in
 *     System.out.println(n);
 * }
 * Recv<Integer> r = in.recvOk();           // n, ok := <-in
 * if (!r.ok()) {
 *     System.out.println("closed");
 * }
 * }
 *
 * @param <T> the element type; {@code null} is a valid value
 */
public interface RecvChan<T> extends Iterable<T> {
    /**
     * Receives a value: Go's {@code <-ch}. Blocks until one is available; returns {@code null}
     * once the channel is closed and drained (Go's zero value).
     *
     * @return the value received (possibly null), or null once closed and drained
     * @throws GoInterruptedException if interrupted while blocked; nothing received
     */
    T recv();

    /**
     * Receives a value and whether the channel delivered one: Go's {@code v, ok := <-ch}.
     * {@code ok} is false once the channel is closed and drained.
     *
     * @return the value and {@code ok == true}, or {@code Recv(null, false)} once closed and drained
     * @throws GoInterruptedException if interrupted while blocked; nothing received
     */
    Recv<T> recvOk();

    /**
     * Receives without blocking: Go's {@code select { case v, ok := <-ch: default: }}. Never
     * blocks and never throws {@link GoInterruptedException}.
     *
     * @return {@code null} if nothing is ready; {@code Recv(null, false)} if the channel is
     *         closed and drained; else the value with {@code ok == true}
     */
    Recv<T> tryRecv();

    /**
     * The number of values buffered: Go's {@code len(ch)}.
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

    /**
     * Go's {@code for v := range ch}: {@code hasNext()} blocks until a value arrives (true) or
     * the channel is closed and drained (false). Not for sharing between threads; several
     * iterators on one channel share its values, each value going to one of them.
     */
    @Override
    default Iterator<T> iterator() {
        return new Iterator<>() {
            private Recv<T> next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = recvOk();
                }
                return next.ok();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed");
                }
                T v = next.value();
                next = null;
                return v;
            }
        };
    }

    /**
     * The values received until the channel is closed and drained, as a sequential ordered
     * stream. Each element is received (blocking) when the stream pulls it.
     *
     * @return a stream of the values received until close
     */
    default Stream<T> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }
}
