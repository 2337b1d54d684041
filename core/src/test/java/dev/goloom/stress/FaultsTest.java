package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.Select;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.time.Time;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8 "Faults": Errors and exceptions thrown where goloom runs user code, each with its
 * documented outcome, and the runtime still usable afterwards with nothing lost.
 */
class FaultsTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    /** The runtime still runs goroutines and passes values after a fault. */
    private static void stillUsable(GoRuntime rt) {
        AtomicInteger sum = new AtomicInteger();
        rt.main(() -> {
            Chan<Integer> ch = Chan.make();
            WaitGroup wg = new WaitGroup();
            for (int i = 1; i <= 100; i++) {
                int v = i;
                wg.go(() -> ch.send(v));
            }
            for (int i = 0; i < 100; i++) {
                sum.addAndGet(ch.recv());
            }
            wg.await();
        });
        assertEquals(5050, sum.get());
    }

    @Test
    void stackOverflowInAGoroutineIsAPanicThatEndsMain() {
        GoRuntime rt = t.runtime(2);
        Thread[] main = new Thread[1];
        assertThrows(StackOverflowError.class, () -> rt.main(() -> {
            main[0] = Thread.currentThread();
            Chan<Void> never = Chan.make();
            rt.go(() -> recurse(0));
            never.recv(); // main blocks; the panic elsewhere ends it
        }));
        main[0].interrupt(); // Go's process would exit; here main's goroutine is still parked: end it
        stillUsable(rt);
    }

    @Test
    void errorFromASelectBodyPropagatesAfterTheOperation() {
        GoRuntime rt = t.runtime(1);
        Chan<Integer> ch = Chan.make(1);
        AtomicInteger delivered = new AtomicInteger();
        rt.main(() -> {
            AssertionError e = assertThrows(AssertionError.class, () -> Select.select(
                    Select.send(ch, 7, () -> {
                        throw new AssertionError("body");
                    })));
            assertEquals("body", e.getMessage());
            delivered.set(ch.recv()); // the send happened before the body threw
        });
        assertEquals(7, delivered.get());
        stillUsable(rt);
    }

    @Test
    void exceptionFromAnAfterFuncCallbackIsAPanic() {
        GoRuntime rt = t.runtime(2);
        Thread[] main = new Thread[1];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.main(() -> {
            main[0] = Thread.currentThread();
            Time.afterFunc(Duration.ZERO, () -> {
                throw new IllegalStateException("callback");
            });
            Time.sleep(GoTestSupport.LONG_DELAY); // the callback's panic ends main first
        }));
        assertEquals("callback", e.getMessage());
        main[0].interrupt(); // main's goroutine is still asleep: end it
        stillUsable(rt);
    }

    @Test
    void manyPanickingGoroutinesLoseNothingElse() {
        GoRuntime rt = t.runtime(4);
        AtomicInteger sum = new AtomicInteger();
        // outside main a panic only prints (JDK uncaught-exception rules); the others carry on
        WaitGroup wg = new WaitGroup();
        Chan<Integer> ch = Chan.make(16);
        for (int i = 0; i < 200; i++) {
            int v = i;
            wg.add(1);
            rt.go(() -> {
                try {
                    if (v % 2 == 0) {
                        throw new IllegalStateException("planned panic " + v);
                    }
                    ch.send(v);
                } finally {
                    wg.done();
                }
            });
        }
        Thread closer = Thread.ofPlatform().start(() -> {
            wg.await();
            ch.close();
        });
        for (Integer v : ch) {
            sum.addAndGet(v);
        }
        try {
            closer.join();
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
        assertEquals(100 * 100, sum.get(), "the odd values 1..199 all arrived");
        assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> rt.numGoroutine() == 0));
        stillUsable(rt);
    }
}
