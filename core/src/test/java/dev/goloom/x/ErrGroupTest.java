package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.context.Context;
import dev.goloom.context.ContextCanceledException;
import dev.goloom.testing.GoTestSupport;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ports the behaviours of golang.org/x/sync errgroup_test.go. */
class ErrGroupTest {
    static GoRuntime rt;

    @BeforeAll
    static void start() {
        rt = GoRuntime.builder().name("errgroup-test").maxProcs(2).build();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @Test
    void zeroGroupReturnsFirstFailureOnly() {           // TestZeroGroup
        rt.main(() -> {
            ErrGroup g = new ErrGroup();
            RuntimeException err1 = new IllegalStateException("errgroup_test: 1");
            RuntimeException err2 = new IllegalStateException("errgroup_test: 2");
            g.go(() -> { });
            g.await();                                      // no failure: returns
            Chan<Void> first = Chan.make();
            g.go(() -> { first.close(); throw err1; });
            first.recv();
            g.go(() -> { throw err2; });
            RuntimeException got = assertThrows(RuntimeException.class, g::await);
            // err1's goroutine may not have recorded yet when err2's did; both are legal firsts
            assertTrue(got == err1 || got == err2, String.valueOf(got));
            assertSame(got, assertThrows(RuntimeException.class, g::await), "the first failure stays");
        });
    }

    @Test
    void firstFailureWinsWhenOrdered() {
        rt.main(() -> {
            ErrGroup g = new ErrGroup();
            RuntimeException err1 = new IllegalStateException("1");
            g.go(() -> { throw err1; });
            assertSame(err1, assertThrows(IllegalStateException.class, g::await));
            g.go(() -> { throw new IllegalStateException("2"); });
            assertSame(err1, assertThrows(IllegalStateException.class, g::await));
        });
    }

    @Test
    void withContextCancelsOnFirstFailureWithCause() {  // TestWithContext, TestCancelCause
        rt.main(() -> {
            ErrGroup g = ErrGroup.withContext(Context.background());
            Context ctx = g.context();
            assertNull(ctx.err());
            RuntimeException boom = new IllegalArgumentException("boom");
            g.go(() -> ctx.done().recv());                  // blocks until the failure cancels
            g.go(() -> { throw boom; });
            assertSame(boom, assertThrows(IllegalArgumentException.class, g::await));
            assertInstanceOf(ContextCanceledException.class, ctx.err());
            assertSame(boom, ctx.cause());
        });
    }

    @Test
    void withContextCancelsWhenAwaitReturns() {
        rt.main(() -> {
            ErrGroup g = ErrGroup.withContext(Context.background());
            g.go(() -> { });
            g.await();
            assertInstanceOf(ContextCanceledException.class, g.context().err());
            assertInstanceOf(ContextCanceledException.class, g.context().cause());
        });
    }

    @Test
    void checkedFailureIsWrappedCauseKept() {
        rt.main(() -> {
            ErrGroup g = ErrGroup.withContext(Context.background());
            IOException io = new IOException("disk");
            g.go(() -> { throw io; });
            RuntimeException got = assertThrows(RuntimeException.class, g::await);
            assertSame(io, got.getCause());
            assertSame(got, g.context().cause());
        });
    }

    @Test
    void errorIsAFailure() {                           // a panic in a task
        rt.main(() -> {
            ErrGroup g = new ErrGroup();
            AssertionError e = new AssertionError("panic");
            g.go(() -> { throw e; });
            assertSame(e, assertThrows(AssertionError.class, g::await));
        });
    }

    @Test
    void tryGoRespectsLimit() {                        // TestTryGo
        rt.main(() -> {
            ErrGroup g = new ErrGroup();
            int n = 42;
            g.setLimit(42);
            Chan<Void> ch = Chan.make();
            for (int i = 0; i < n; i++) {
                assertTrue(g.tryGo(() -> ch.recv()), "tryGo " + i);
            }
            assertFalse(g.tryGo(() -> { }), "tryGo past the limit");
            ch.close();
            g.await();
            // after all finished, room again
            assertTrue(g.tryGo(() -> { }));
            g.await();
            // limit 1: a failing task, then tryGo refused while it runs
            g.setLimit(1);
            Chan<Void> hold = Chan.make();
            assertTrue(g.tryGo(() -> { hold.recv(); throw new IllegalStateException("x"); }));
            assertFalse(g.tryGo(() -> { }));
            hold.close();
            assertThrows(IllegalStateException.class, g::await);
        });
    }

    @Test
    void goBlocksAtLimit() {                           // TestGoLimit
        rt.main(() -> {
            int limit = 3;
            ErrGroup g = new ErrGroup();
            g.setLimit(limit);
            AtomicInteger active = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            for (int i = 0; i < 50; i++) {
                g.go(() -> {
                    int a = active.incrementAndGet();
                    max.accumulateAndGet(a, Math::max);
                    dev.goloom.Go.gosched();
                    active.decrementAndGet();
                });
            }
            g.await();
            assertTrue(max.get() <= limit, "max active " + max.get());
        });
    }

    @Test
    void goBlockedByLimitShowsChanSend() {
        rt.main(() -> {
            ErrGroup g = new ErrGroup();
            g.setLimit(1);
            Chan<Void> hold = Chan.make();
            g.go(() -> hold.recv());
            ErrGroup outer = new ErrGroup();
            outer.go(() -> g.go(() -> { }));               // blocks in sem send
            GoTestSupport.awaitWaiting(rt, "chan send", 1);
            hold.close();
            outer.await();
            g.await();
        });
    }

    @Test
    void setLimitWhileActiveThrowsGoMessage() {
        rt.main(() -> {
            ErrGroup g = new ErrGroup();
            g.setLimit(2);
            Chan<Void> hold = Chan.make();
            g.go(() -> hold.recv());
            g.go(() -> hold.recv());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.setLimit(5));
            assertEquals("errgroup: modify limit while 2 goroutines in the group are still active", e.getMessage());
            g.setLimit(-1);                                 // negative: no limit, allowed anytime
            assertTrue(g.tryGo(() -> { }));
            hold.close();
            g.await();
        });
    }

    @Test
    void goroutinesStartInCallersRuntime() {
        rt.main(() -> {
            int before = rt.numGoroutine();
            ErrGroup g = new ErrGroup();
            Chan<Void> hold = Chan.make();
            for (int i = 0; i < 5; i++) {
                g.go(() -> hold.recv());
            }
            assertEquals(before + 5, rt.numGoroutine());
            hold.close();
            g.await();
        });
    }

    @Test
    void worksFromPlainThread() {
        ErrGroup g = ErrGroup.withContext(Context.background());
        AtomicInteger sum = new AtomicInteger();
        for (int i = 1; i <= 10; i++) {
            int k = i;
            g.go(() -> sum.addAndGet(k));
        }
        g.await();
        assertEquals(55, sum.get());
    }
}
