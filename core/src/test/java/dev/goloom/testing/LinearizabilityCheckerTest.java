package dev.goloom.testing;

import static dev.goloom.testing.LinearizabilityChecker.BLOCKS;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fallback checker accepts a correct blocking queue and catches a wrong result and a lost wake-up. */
class LinearizabilityCheckerTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    /** A FIFO queue model with value equality. */
    record Fifo(List<Integer> items) {
        Fifo() {
            this(new ArrayList<>());
        }

        Fifo copy() {
            return new Fifo(new ArrayList<>(items));
        }

        Object take() {
            return items.isEmpty() ? BLOCKS : items.remove(0);
        }
    }

    private static <Q> LinearizabilityChecker<Q, Fifo> fifo(java.util.function.Supplier<Q> impl,
            java.util.function.BiConsumer<Q, Integer> offer, java.util.function.Function<Q, Integer> take) {
        return LinearizabilityChecker.of(impl, Fifo::new, Fifo::copy)
                .quiet(java.time.Duration.ofMillis(20))
                .op("offer", r -> r.nextInt(4), (q, x) -> {
                    offer.accept(q, (Integer) x);
                    return null;
                }, (m, x) -> {
                    m.items().add((Integer) x);
                    return null;
                })
                .op("take", r -> null, (q, x) -> take.apply(q), (m, x) -> m.take());
    }

    private static Integer take(LinkedBlockingQueue<Integer> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // as goloom's calls do: the flag stays set
            throw new IllegalStateException(e);
        }
    }

    @Test
    void blockingQueueIsLinearizable() {
        fifo(LinkedBlockingQueue<Integer>::new, LinkedBlockingQueue::offer, LinearizabilityCheckerTest::take)
                .check(3, 3, 30);
    }

    @Test
    void lifoIsCaught() {
        AssertionError e = assertThrows(AssertionError.class, () ->
                fifo(ArrayDeque<Integer>::new, ArrayDeque::push, q -> {
                    Integer x;
                    while ((x = q.poll()) == null) {
                        LockSupport.parkNanos(100_000);
                        if (Thread.currentThread().isInterrupted()) {
                            throw new IllegalStateException("interrupted");
                        }
                    }
                    return x;
                }).check(1, 6, 200));
        assertTrue(e.getMessage().contains("not linearizable"), e.getMessage());
    }

    @Test
    void lostWakeUpIsCaught() {
        // take never sees an item: after an offer it stays blocked although the model could complete it
        AssertionError e = assertThrows(AssertionError.class, () ->
                fifo(LinkedBlockingQueue<Integer>::new, LinkedBlockingQueue::offer, q -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        LockSupport.park();
                    }
                    throw new IllegalStateException("interrupted");
                }).check(1, 4, 100));
        assertTrue(e.getMessage().contains("<pending>"), e.getMessage());
    }
}
