package dev.goloom.internal.chan;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.internal.sched.G;
import dev.goloom.testing.GoTestSupport;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A goroutine keeps its plain-operation sudog in its G, not in a ThreadLocal: blocking on a
 * channel must not give each of a million parked goroutines a ThreadLocalMap (Sudog, "Deviation").
 */
class SudogCacheTest {
    private static final VarHandle THREAD_LOCALS;
    static {
        try {
            THREAD_LOCALS = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVarHandle(Thread.class, "threadLocals", Class.forName("java.lang.ThreadLocal$ThreadLocalMap"));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Polls until a receiver is queued on c (a goroutine count nothing can wait on). */
    private static void awaitReceiver(Chan<Integer> c) {
        assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> WhiteBox.waiters(c) > 0),
                "the goroutine never blocked on the channel");
    }

    @Test
    void aBlockedGoroutineCachesItsSudogInItsG() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).name("sudog-cache").build()) {
            Chan<Integer> c = Chan.make();
            Chan<Integer> back = Chan.make();
            AtomicReference<Object> first = new AtomicReference<>();
            AtomicReference<Object> second = new AtomicReference<>();
            AtomicReference<Object> locals = new AtomicReference<>("unset");
            rt.main(() -> {
                rt.go(() -> {
                    c.recv();                       // blocks: the sender is not there yet
                    G g = G.current();
                    first.set(g.sudogCache());
                    back.send(1);
                    c.recv();                       // blocks again: the same sudog
                    second.set(g.sudogCache());
                    locals.set(THREAD_LOCALS.get(Thread.currentThread()));
                    back.send(2);
                });
                awaitReceiver(c);
                c.send(1);
                back.recv();
                awaitReceiver(c);
                c.send(2);
                back.recv();
            });
            assertNotNull(first.get(), "the first blocking receive cached a sudog in the G");
            assertSame(first.get(), second.get(), "the second blocking receive reused it");
            assertNull(locals.get(), "blocking created no ThreadLocalMap on the goroutine's thread");
        }
    }
}
