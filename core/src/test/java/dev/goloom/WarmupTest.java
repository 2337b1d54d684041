package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.sched.Sched;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class WarmupTest {
    /** The warm-up exercises every primitive once and closes its runtime: nothing is left. */
    @Test
    void warmupRunsToTheEndAndLeavesNothing() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), Warmup::run);
    }

    @Test
    void roundWithoutFaultSucceeds() {
        assertEquals(Boolean.TRUE, round(k -> { }));
    }

    /**
     * A warm-up goroutine that fails (out of memory, in the OutOfMemoryFaultTest child, where
     * the program filled the heap at start-up) fails the round, and every goroutine of the round
     * still ends: before, the others stayed parked in the round's channels for ever, holding
     * their memory, and the warm-up thread waited in close() for ever.
     */
    @Test
    void failingGoroutineEndsTheRoundAndEveryGoroutine() {
        assertEquals(Boolean.FALSE, round(k -> {
            if (k == 57) {
                throw new OutOfMemoryError("injected");
            }
        }));
    }

    /** The same when the round's main goroutine fails, with every goroutine parked somewhere. */
    @Test
    void failingMainEndsTheRoundAndEveryGoroutine() {
        assertEquals(Boolean.FALSE, round(k -> {
            if (k < 0) {
                throw new OutOfMemoryError("injected");
            }
        }));
    }

    /** One round of 200 goroutines on a private runtime; the runtime must close with none left. */
    private static Boolean round(IntConsumer fault) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Sched s = new Sched("warmup-test", 1);
            AtomicReference<Boolean> ok = new AtomicReference<>();
            try {
                s.main(() -> ok.set(Warmup.round(s, 200, fault)));
            } finally {
                s.close();                     // waits for every goroutine of the round
            }
            assertEquals(0, s.numGoroutine());
            assertTrue(ok.get() != null);
            return ok.get();
        });
    }
}
