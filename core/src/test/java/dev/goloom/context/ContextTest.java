package dev.goloom.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.internal.timer.ThreadTimerHost;
import dev.goloom.internal.timer.TimerHost;
import dev.goloom.internal.timer.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The behaviours of Go's src/context tests (context_test.go, x_test.go). */
class ContextTest {
    private static final Duration SHORT = Duration.ofMillis(20);
    private static final Duration LONG = Duration.ofSeconds(30);

    /** A Context this package does not know (Go's otherContext): exercises the foreign path. */
    record Other(Context inner) implements Context {
        @Override
        public RecvChan<Void> done() {
            return inner.done();
        }

        @Override
        public RuntimeException err() {
            return inner.err();
        }

        @Override
        public RuntimeException cause() {
            return inner.cause();
        }

        @Override
        public Optional<Instant> deadline() {
            return inner.deadline();
        }

        @Override
        public <T> T value(Key<T> key) {
            return inner.value(key);
        }

        @Override
        public void check() {
            inner.check();
        }
    }

    static boolean isDone(Context c) {
        return c.done().tryRecv() != null;
    }

    /** Waits for done (a receive: no polling), with a watchdog so a bug fails instead of hanging. */
    static void awaitDone(Context c) {
        int i = Select.select(Select.recv(c.done(), v -> { }), Select.after(LONG, () -> { }));
        assertEquals(0, i, c + " not done in time");
    }

    @Test
    void background() {
        Context c = Context.background();
        assertNotNull(c);
        assertFalse(isDone(c));
        assertNull(c.err());
        assertNull(c.cause());
        assertEquals(Optional.empty(), c.deadline());
        assertEquals("context.Background", c.toString());
        c.check();
        assertSame(c, Context.background());
    }

    @Test
    void todo() {
        Context c = Context.todo();
        assertFalse(isDone(c));
        assertEquals("context.TODO", c.toString());
    }

    @Test
    void withCancelCancelsDescendantsThroughAForeignContext() {
        CancelContext c1 = Context.withCancel(Context.background());
        assertEquals("context.Background.WithCancel", c1.toString());
        Context o = new Other(c1);
        CancelContext c2 = Context.withCancel(o);
        List<Context> all = List.of(c1, o, c2);
        for (Context c : all) {
            assertFalse(isDone(c));
            assertNull(c.err());
        }
        c1.cancel();
        for (Context c : all) {
            awaitDone(c);
            assertSame(ContextCanceledException.CANCELED, c.err());
            assertEquals("context canceled", c.err().getMessage());
        }
        assertThrows(ContextCanceledException.class, c2::check);
    }

    @Test
    void parentFinishesChildren() {
        CancelContext parent = Context.withCancel(Context.background());
        CancelContext cancelChild = Context.withCancel(parent);
        CancelContext timerChild = Context.withTimeout(parent, LONG);
        Context valueChild = Context.withValue(parent, new Context.Key<String>("k"), "v");
        CancelContext grandchild = Context.withCancel(valueChild);
        CancelCtx p = (CancelCtx) parent;
        assertEquals(3, p.childCount());                 // cancelChild, timerChild, grandchild
        assertSame(p, ((CancelCtx) grandchild).registeredParent());
        p.checkInvariants();
        parent.cancel();
        for (Context c : List.of(parent, cancelChild, timerChild, valueChild, grandchild)) {
            assertTrue(isDone(c));
            assertSame(ContextCanceledException.CANCELED, c.err());
        }
        assertEquals(0, p.childCount());
        assertFalse(((TimerCtx) timerChild).timerPending(), "the deadline timer was stopped");
        // a child of a cancelled parent is cancelled at once
        CancelContext late = Context.withCancel(parent);
        assertTrue(isDone(late));
        assertEquals(0, p.childCount());
    }

    @Test
    void childFinishesFirst() {
        for (boolean timed : new boolean[] {false, true}) {
            CancelContext parent = timed ? Context.withTimeout(Context.background(), LONG)
                    : Context.withCancel(Context.background());
            CancelContext child = Context.withCancel(parent);
            assertEquals(1, ((CancelCtx) parent).childCount());
            child.cancel();
            assertEquals(0, ((CancelCtx) parent).childCount());
            assertFalse(isDone(parent));
            assertTrue(isDone(child));
            parent.cancel();
            assertSame(ContextCanceledException.CANCELED, child.err());
        }
    }

    @Test
    void deadline() {
        CancelContext c = Context.withDeadline(Context.background(), Instant.now().plus(SHORT));
        assertTrue(c.toString().startsWith("context.Background.WithDeadline("), c.toString());
        awaitDone(c);
        assertSame(DeadlineExceededException.DEADLINE_EXCEEDED, c.err());
        assertTrue(((DeadlineExceededException) c.err()).timeout());
        assertThrows(DeadlineExceededException.class, c::check);

        // an earlier deadline of a (foreign-wrapped) parent wins
        CancelContext p = Context.withDeadline(Context.background(), Instant.now().plus(SHORT));
        CancelContext c2 = Context.withDeadline(new Other(p), Instant.now().plus(LONG));
        assertEquals(p.deadline(), c2.deadline(), "a child's deadline is never later than its parent's");
        awaitDone(c2);
        assertInstanceOf(DeadlineExceededException.class, c2.err());

        // a deadline in the past: done at once
        CancelContext past = Context.withDeadline(Context.background(), Instant.now().minusSeconds(1));
        assertTrue(isDone(past));
        assertInstanceOf(DeadlineExceededException.class, past.err());
    }

    @Test
    void timeout() {
        CancelContext c = Context.withTimeout(Context.background(), SHORT);
        assertTrue(c.deadline().isPresent());
        awaitDone(c);
        assertInstanceOf(DeadlineExceededException.class, c.err());
        CancelContext neg = Context.withTimeout(Context.background(), Duration.ofSeconds(-1));
        assertTrue(isDone(neg));
        CancelContext huge = Context.withTimeout(Context.background(), Duration.ofSeconds(Long.MAX_VALUE));
        assertFalse(isDone(huge));
        huge.cancel();
    }

    @Test
    void canceledTimeoutReportsCanceled() {
        CancelContext c = Context.withTimeout(Context.background(), Duration.ofSeconds(1));
        Context o = new Other(c);
        CancelContext c2 = Context.withCancel(o);
        c.cancel();
        awaitDone(c2);
        assertSame(ContextCanceledException.CANCELED, c2.err());
        assertFalse(((TimerCtx) c).timerPending());
    }

    @Test
    void values() {
        Context.Key<String> k1 = new Context.Key<>("k1");
        Context.Key<String> k2 = new Context.Key<>("k2");
        Context.Key<String> k3 = new Context.Key<>("k3");
        Context c0 = Context.background();
        Context c1 = Context.withValue(c0, k1, "c1k1");
        Context c2 = Context.withValue(c1, k2, "c2k2");
        Context c3 = Context.withValue(c2, k3, "c3k3");
        Context c4 = Context.withValue(c3, k1, null);
        Context o0 = new Other(Context.background());
        Context o1 = new Other(Context.withValue(Context.background(), k1, "c1k1"));
        Context o2 = Context.withValue(o1, k2, "o2k2");
        Context o3 = new Other(c4);
        Context o4 = Context.withValue(o3, k3, null);
        Object[][] table = {
                {c0, null, null, null}, {c1, "c1k1", null, null}, {c2, "c1k1", "c2k2", null},
                {c3, "c1k1", "c2k2", "c3k3"}, {c4, null, "c2k2", "c3k3"}, {o0, null, null, null},
                {o1, "c1k1", null, null}, {o2, "c1k1", "o2k2", null}, {o3, null, "c2k2", "c3k3"},
                {o4, null, "c2k2", null}};
        for (Object[] row : table) {
            Context c = (Context) row[0];
            assertEquals(row[1], c.value(k1), c.toString());
            assertEquals(row[2], c.value(k2), c.toString());
            assertEquals(row[3], c.value(k3), c.toString());
        }
        assertEquals("context.Background.WithValue(k1, c1k1)", c1.toString());
        assertEquals("c1k1", Context.withCancel(c1).value(k1));
        assertEquals("c1k1", c1.value(new Context.Key<String>("k1")), "keys with equal names are equal");
    }

    @Test
    void nilParentAndKey() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Context.withCancel(null));
        assertEquals("cannot create context from nil parent", e.getMessage());
        assertThrows(NullPointerException.class, () -> Context.withTimeout(null, SHORT));
        assertThrows(NullPointerException.class, () -> Context.withDeadline(null, Instant.now()));
        assertThrows(NullPointerException.class, () -> Context.withValue(null, new Context.Key<>("k"), 1));
        assertThrows(NullPointerException.class, () -> Context.withoutCancel(null));
        assertThrows(NullPointerException.class, () -> Context.withValue(Context.background(), null, 1));
    }

    @Test
    void withCancelOfACanceledParentKeepsTheCause() {
        CancelContext parent = Context.withCancel(Context.background());
        RuntimeException cause = new RuntimeException("whatever");
        parent.cancel(cause);
        CancelContext child = Context.withCancel(parent);
        assertTrue(isDone(child));
        assertSame(ContextCanceledException.CANCELED, child.err());
        assertSame(cause, child.cause());
    }

    @Test
    void causes() {
        RuntimeException cause = new IllegalStateException("cause");
        RuntimeException other = new IllegalStateException("other");
        // cancel with a cause
        CancelContext c = Context.withCancel(Context.background());
        assertNull(c.cause());
        c.cancel(cause);
        assertSame(ContextCanceledException.CANCELED, c.err());
        assertSame(cause, c.cause());
        c.cancel(other);                                 // only the first cancellation counts
        assertSame(cause, c.cause());
        // cancel without a cause: cause is err
        CancelContext d = Context.withCancel(Context.background());
        d.cancel();
        assertSame(ContextCanceledException.CANCELED, d.cause());
        // the parent's cause reaches children through values
        CancelContext p = Context.withCancel(Context.background());
        Context v = Context.withValue(p, new Context.Key<Integer>("n"), 1);
        CancelContext ch = Context.withCancel(v);
        p.cancel(cause);
        assertSame(cause, ch.cause());
        assertSame(cause, v.cause());
        // the child's own earlier cause wins
        CancelContext p2 = Context.withCancel(Context.background());
        CancelContext c2 = Context.withCancel(p2);
        c2.cancel(other);
        p2.cancel(cause);
        assertSame(other, c2.cause());
        // deadline with cause; timeout without
        CancelContext t = Context.withTimeoutCause(Context.background(), Duration.ZERO, cause);
        assertInstanceOf(DeadlineExceededException.class, t.err());
        assertSame(cause, t.cause());
        CancelContext t2 = Context.withDeadline(Context.background(), Instant.now().minusSeconds(1));
        assertSame(DeadlineExceededException.DEADLINE_EXCEEDED, t2.cause());
        // cancel before the deadline: Canceled, with the cancel's cause
        CancelContext t3 = Context.withTimeoutCause(Context.background(), LONG, other);
        t3.cancel(cause);
        assertSame(ContextCanceledException.CANCELED, t3.err());
        assertSame(cause, t3.cause());
        // a withoutCancel child of a cancelled context has no cause
        assertNull(Context.withoutCancel(p).cause());
    }

    @Test
    void causeRace() throws InterruptedException {
        CancelContext c = Context.withCancel(Context.background());
        RuntimeException cause = new RuntimeException("x");
        Thread t = Thread.ofPlatform().start(() -> c.cancel(cause));
        while (c.err() == null) {
            Thread.onSpinWait();
        }
        assertSame(cause, c.cause());                    // seeing err implies seeing cause
        t.join();
    }

    @Test
    void withoutCancel() {
        Context.Key<String> k = new Context.Key<>("key");
        CancelContext parent = Context.withTimeout(Context.withValue(Context.background(), k, "value"), LONG);
        Context c = Context.withoutCancel(parent);
        parent.cancel();
        assertFalse(isDone(c));
        assertNull(c.err());
        assertEquals(Optional.empty(), c.deadline());
        assertEquals("value", c.value(k));
        CancelContext child = Context.withCancel(c);
        assertFalse(isDone(child));
        child.cancel();
        assertTrue(c.toString().endsWith(".WithoutCancel"));
    }

    @Test
    void closeCancels() {
        CancelContext c;
        try (CancelContext cc = Context.withCancel(Context.background())) {
            c = cc;
            assertNull(cc.err());
        }
        assertSame(ContextCanceledException.CANCELED, c.err());
    }

    @Test
    void interlockedCancels() throws InterruptedException {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CancelContext parent = Context.withCancel(Context.background());
            CancelContext child = Context.withCancel(Context.background());
            CountDownLatch done = new CountDownLatch(1);
            rt.go(() -> {
                parent.done().recv();
                child.cancel();
                done.countDown();
            });
            parent.cancel();
            awaitDone(child);
            assertTrue(done.await(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void simultaneousCancels() throws InterruptedException {
        CancelContext root = Context.withCancel(Context.background());
        List<CancelContext> all = new ArrayList<>();
        List<Context> level = List.of(root);
        for (int depth = 0; depth < 4; depth++) {
            List<Context> next = new ArrayList<>();
            for (Context p : level) {
                for (int i = 0; i < 4; i++) {
                    CancelContext c = Context.withCancel(p);
                    all.add(c);
                    next.add(c);
                }
            }
            level = next;
        }
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(all.size() + 1);
            for (CancelContext c : all) {
                rt.go(() -> {
                    go.await();
                    c.cancel();
                    done.countDown();
                });
            }
            rt.go(() -> {
                go.await();
                root.cancel();
                done.countDown();
            });
            go.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS));
        }
        for (CancelContext c : all) {
            assertTrue(isDone(c));
            assertSame(ContextCanceledException.CANCELED, c.err());
            assertEquals(0, ((CancelCtx) c).childCount());
            ((CancelCtx) c).checkInvariants();
        }
        assertEquals(0, ((CancelCtx) root).childCount());
    }

    /** Go's TestLayersCancel / TestLayersTimeout: random stacks of value, cancel and timeout layers. */
    @Test
    void layers() {
        SplittableRandom r = new SplittableRandom(3);
        Context.Key<Integer> k = new Context.Key<>("layer");
        for (boolean viaTimeout : new boolean[] {false, true}) {
            for (int round = 0; round < 50; round++) {
                Context ctx = Context.background();
                List<CancelContext> cancels = new ArrayList<>();
                boolean timed = false;
                for (int i = 0; i < 10; i++) {
                    switch (r.nextInt(3)) {
                        case 0 -> ctx = Context.withValue(ctx, k, i);
                        case 1 -> {
                            CancelContext c = Context.withCancel(ctx);
                            cancels.add(c);
                            ctx = c;
                        }
                        default -> {
                            CancelContext c = Context.withTimeout(ctx, viaTimeout ? SHORT : LONG);
                            timed = true;
                            cancels.add(c);
                            ctx = c;
                        }
                    }
                }
                if (!viaTimeout) {
                    assertFalse(isDone(ctx));
                    if (!cancels.isEmpty()) {
                        cancels.get(r.nextInt(cancels.size())).cancel();
                        awaitDone(ctx);
                        assertSame(ContextCanceledException.CANCELED, ctx.err());
                    }
                } else if (timed) {
                    awaitDone(ctx);
                    assertInstanceOf(DeadlineExceededException.class, ctx.err());
                }
                for (CancelContext c : cancels) {
                    c.cancel();
                }
            }
        }
    }

    /** Go's TestCancelRemoves: cancel (and afterFunc stop) leave the parent's children set. */
    @Test
    void cancelRemoves() {
        CancelContext parent = Context.withCancel(Context.background());
        CancelCtx p = (CancelCtx) parent;
        Context.withCancel(parent).cancel();
        assertEquals(0, p.childCount());
        Context.withTimeout(parent, LONG).cancel();
        assertEquals(0, p.childCount());
        Context.Stop stop = Context.afterFunc(parent, () -> { });
        assertEquals(1, p.childCount());
        assertTrue(stop.stop());
        assertEquals(0, p.childCount());
        parent.cancel();
    }

    /** A million children coming and going under one parent: its set stays small. */
    @Test
    void childrenComeAndGoWithoutGrowth() {
        CancelContext parent = Context.withCancel(Context.background());
        CancelCtx p = (CancelCtx) parent;
        for (int i = 0; i < 1_000_000; i++) {
            CancelContext c = Context.withCancel(parent);
            if (i % 100_000 == 0) {
                assertEquals(1, p.childCount());
            }
            c.cancel();
        }
        assertEquals(0, p.childCount());
        TimerHost old = Timers.host;
        ThreadTimerHost host = new ThreadTimerHost(1);    // a private host: only this test's timers
        Timers.host = host;
        try {
            for (int i = 0; i < 10_000; i++) {
                Context.withTimeout(parent, LONG).cancel();
            }
        } finally {
            Timers.host = old;
        }
        assertEquals(0, p.childCount());
        assertEquals(0, host.heaps().get(0).size(), "cancelled deadlines left timers behind");
        parent.cancel();
    }

    @Test
    void aDeepChainCancelsIteratively() {
        CancelContext root = Context.withCancel(Context.background());
        Context c = root;
        for (int i = 0; i < 200_000; i++) {
            c = Context.withCancel(c);
        }
        root.cancel();
        assertTrue(isDone(c));
    }

    @Test
    void doneWorksInASelect() {
        CancelContext c = Context.withTimeout(Context.background(), SHORT);
        int[] got = {-1};
        int i = Select.select(Select.recv(Context.background().done(), v -> got[0] = 0),
                Select.recv(c.done(), v -> got[0] = 1));
        assertEquals(1, i);
        assertEquals(1, got[0]);
        assertNull(Context.background().done().tryRecv(), "background's done never closes");
    }

    // --------------------------------------------------------------------------- afterFunc

    @Test
    void afterFuncCalledAfterCancel() throws InterruptedException {
        CancelContext c = Context.withCancel(Context.background());
        CountDownLatch ran = new CountDownLatch(1);
        Context.Stop stop = Context.afterFunc(c, ran::countDown);
        assertFalse(ran.await(10, TimeUnit.MILLISECONDS));
        c.cancel();
        assertTrue(ran.await(30, TimeUnit.SECONDS));
        assertFalse(stop.stop(), "stop after f started returns false");
    }

    @Test
    void afterFuncCalledAfterTimeout() throws InterruptedException {
        CancelContext c = Context.withTimeout(Context.background(), SHORT);
        CountDownLatch ran = new CountDownLatch(1);
        Context.afterFunc(c, ran::countDown);
        assertTrue(ran.await(30, TimeUnit.SECONDS));
    }

    @Test
    void afterFuncCalledImmediatelyOnADoneContext() throws InterruptedException {
        CancelContext c = Context.withCancel(Context.background());
        c.cancel();
        CountDownLatch ran = new CountDownLatch(1);
        Context.afterFunc(c, ran::countDown);
        assertTrue(ran.await(30, TimeUnit.SECONDS));
    }

    @Test
    void afterFuncNotCalledAfterStop() throws InterruptedException {
        CancelContext c = Context.withCancel(Context.background());
        AtomicInteger runs = new AtomicInteger();
        Context.Stop stop = Context.afterFunc(c, runs::incrementAndGet);
        assertTrue(stop.stop());
        assertFalse(stop.stop());
        CountDownLatch other = new CountDownLatch(1);
        Context.afterFunc(c, other::countDown);
        c.cancel();
        assertTrue(other.await(30, TimeUnit.SECONDS));
        assertEquals(0, runs.get());
    }

    @Test
    void afterFuncRunsInItsOwnGoroutine() throws InterruptedException {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CancelContext c = Context.withCancel(Context.background());
            CountDownLatch ran = new CountDownLatch(1);
            boolean[] inGoroutine = new boolean[1];
            rt.main(() -> {
                Context.afterFunc(c, () -> {
                    inGoroutine[0] = dev.goloom.Go.current() != null;
                    ran.countDown();
                });
                c.cancel();                              // does not run f on this goroutine
                assertTrue(ran.await(30, TimeUnit.SECONDS));
            });
            assertTrue(inGoroutine[0]);
        }
    }
}
