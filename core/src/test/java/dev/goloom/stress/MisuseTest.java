package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.context.Context;
import dev.goloom.sync.Cond;
import dev.goloom.sync.Once;
import dev.goloom.sync.Pool;
import dev.goloom.sync.SyncMap;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.time.Time;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rows of docs/MISUSE.md that no package's own test backs: each misuse gets the named error
 * (or the Go behaviour) the table promises. Rows backed elsewhere name their test in the table.
 */
class MisuseTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    private static void npe(String message, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void nullFunctionsAreNamed() {
        npe("sync: Once.run(null)", () -> new Once().run(null));
        npe("sync: WaitGroup.go(null)", () -> new WaitGroup().go(null));
        npe("sync: Cond(null)", () -> new Cond(null));
        npe("sync: SyncMap.range(null)", () -> new SyncMap<String, String>().range(null));
        npe("time: AfterFunc with a null function", () -> Time.afterFunc(Duration.ofSeconds(1), null));
        npe("context: AfterFunc with a null function", () -> Context.afterFunc(Context.background(), null));
        npe("select: after(null)", () -> Select.after(null, () -> { }));
        npe("name", () -> GoRuntime.builder().name(null));
    }

    @Test
    void nullChannelOutsideSelectIsJavasNullPointerException() {
        RecvChan<Integer> nil = null;
        // Go blocks forever on a nil channel; a Java reference cannot be called: NPE, never a hang
        assertThrows(NullPointerException.class, () -> nil.recv());
    }

    @Test
    void nilChannelInSelectIsNeverReady() {
        boolean[] ran = new boolean[1];
        int i = Select.select(Select.recv((RecvChan<Integer>) null, v -> ran[0] = true),
                Select.otherwise(() -> { }));
        assertEquals(1, i);
        assertTrue(!ran[0]);
    }

    @Test
    void iteratorPastTheEndOfAClosedChannel() {
        Chan<Integer> ch = Chan.make(1);
        ch.close();
        Iterator<Integer> it = ch.iterator();
        assertTrue(!it.hasNext());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, it::next);
        assertEquals("channel closed", e.getMessage());
    }

    @Test
    void nonPositiveTickIsNilChannel() {
        assertNull(Time.tick(Duration.ZERO), "Go: time.Tick(d <= 0) returns nil");
        assertNull(Time.tick(Duration.ofMillis(-1)));
    }

    @Test
    void relockingAMutexDeadlocks() {
        GoRuntime rt = t.runtime(1);
        Thread[] main = new Thread[1];
        dev.goloom.DeadlockError e = assertThrows(dev.goloom.DeadlockError.class, () -> rt.main(() -> {
            main[0] = Thread.currentThread();
            dev.goloom.sync.Mutex mu = new dev.goloom.sync.Mutex();
            mu.lock();
            mu.lock(); // not reentrant, as Go
        }));
        main[0].interrupt(); // Go would exit; we end the stuck goroutine (GoInterruptedException)
        assertTrue(e.getMessage().startsWith("all goroutines are asleep - deadlock!"), e.getMessage());
        assertTrue(e.getMessage().contains("sync.Mutex.Lock"), e.getMessage());
    }

    @Test
    void emptySelectUnderMainIsADeadlock() {
        GoRuntime rt = t.runtime(1);
        Thread[] main = new Thread[1];
        dev.goloom.DeadlockError e = assertThrows(dev.goloom.DeadlockError.class, () -> rt.main(() -> {
            main[0] = Thread.currentThread();
            Select.select();
        }));
        main[0].interrupt(); // ends the goroutine blocked forever
        assertTrue(e.getMessage().contains("select (no cases)"), e.getMessage());
    }

    @Test
    void runtimeToolsMisuse() throws Exception {
        GoRuntime rt = t.runtime(1);
        npe("goloom: executor task is null", () -> rt.executor().execute(null));
        npe("file", () -> rt.startTrace(null));
        java.nio.file.Path f = java.nio.file.Files.createTempFile("goloom-misuse", ".trace");
        try {
            rt.startTrace(f);
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.startTrace(f));
                assertEquals("goloom: tracing is already enabled", e.getMessage());
            } finally {
                rt.stopTrace();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
        npe("rt", () -> dev.goloom.debug.DebugServer.start(null, 0));
        try (dev.goloom.debug.DebugServer first = dev.goloom.debug.DebugServer.start(rt, 0)) {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> dev.goloom.debug.DebugServer.start(rt, first.address()));
            assertTrue(e.getMessage().startsWith("goloom: debug server cannot listen on"), e.getMessage());
        }
    }

    @Test
    void xNullArguments() {
        npe("semaphore: acquire(null, n)", () -> new dev.goloom.x.Semaphore(1).acquire(null, 1));
        npe("errgroup: go(null)", () -> new dev.goloom.x.ErrGroup().go(null));
        npe("errgroup: tryGo(null)", () -> new dev.goloom.x.ErrGroup().tryGo(null));
        npe("errgroup: withContext(null)", () -> dev.goloom.x.ErrGroup.withContext(null));
        npe("singleflight: run with a null function", () -> new dev.goloom.x.SingleFlight<String, String>().run("k", null));
        npe("rate: await(null)", () -> new dev.goloom.x.RateLimiter(1, 1).await(null));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new dev.goloom.x.RateLimiter(Double.NaN, 1));
        assertEquals("rate: limit is NaN", nan.getMessage());
        Context ctx = Context.background();
        npe("pipelines: null context", () -> dev.goloom.x.Pipelines.generate(null, java.util.List.of(1)));
        npe("pipelines: null input", () -> dev.goloom.x.Pipelines.filter(ctx, null, x -> true));
        npe("pipelines: filter with a null predicate", () -> dev.goloom.x.Pipelines.filter(ctx, Chan.<Integer>make(), null));
        npe(null, () -> dev.goloom.x.Pipelines.map(ctx, Chan.<Integer>make(), null));
        npe(null, () -> dev.goloom.x.Pipelines.fanOut(ctx, Chan.<Integer>make(), 1, null));
    }

    @Test
    void poolWithoutNewReturnsNull() {
        assertNull(new Pool<String>(null).get(), "Go: Get with a nil New returns nil");
    }

    /**
     * The exact words of the table's rows whose own tests check only the exception's type (or a
     * fragment of its message): a changed message fails here.
     */
    @Test
    void messagesAreTheTablesWords() throws Exception {
        npe("goloom: go(null): the task is null", () -> dev.goloom.Go.go(null));
        IllegalArgumentException procs = assertThrows(IllegalArgumentException.class,
                () -> GoRuntime.builder().maxProcs(0));
        assertEquals("goloom: maxProcs must be at least 1, got 0", procs.getMessage());
        GoRuntime rt = GoRuntime.builder().name("words").maxProcs(1).build();
        procs = assertThrows(IllegalArgumentException.class, () -> rt.maxProcs(-3));
        assertEquals("goloom: maxProcs must be at least 1, got -3", procs.getMessage());
        npe("goloom: go(null): the task is null", () -> rt.go(null));
        java.util.concurrent.ExecutorService ex = rt.executor();
        ex.shutdown();
        java.util.concurrent.RejectedExecutionException rej = assertThrows(
                java.util.concurrent.RejectedExecutionException.class, () -> ex.execute(() -> { }));
        assertEquals("goloom: executor is shut down", rej.getMessage());
        rt.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> rt.go(() -> { }));
        assertEquals("goloom: runtime 'words' is closed", closed.getMessage());
        UnsupportedOperationException global = assertThrows(UnsupportedOperationException.class,
                () -> GoRuntime.global().close());
        assertEquals("goloom: the global runtime cannot be closed", global.getMessage());

        IllegalArgumentException make = assertThrows(IllegalArgumentException.class, () -> Chan.make(-1));
        assertEquals("makechan: size out of range: -1", make.getMessage());
        IllegalArgumentException dflt = assertThrows(IllegalArgumentException.class,
                () -> Select.select(Select.otherwise(null), Select.otherwise(null)));
        assertEquals("select: multiple defaults in select", dflt.getMessage());
        npe("select: case 1 is null", () -> Select.select(Select.otherwise(null), null));
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> Select.select(new Select.Case() { }));
        assertTrue(foreign.getMessage().startsWith("select: case 0 ("), foreign.getMessage());

        npe("nil key", () -> Context.withValue(Context.background(), null, 1));

        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new dev.goloom.x.Semaphore(-2));
        assertEquals("semaphore: negative size -2", size.getMessage());
        dev.goloom.x.Semaphore sem = new dev.goloom.x.Semaphore(1);
        for (org.junit.jupiter.api.function.Executable call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
                () -> sem.acquire(Context.background(), -1), () -> sem.tryAcquire(-1), () -> sem.release(-1))) {
            IllegalArgumentException w = assertThrows(IllegalArgumentException.class, call);
            assertEquals("semaphore: negative weight -1", w.getMessage());
        }
        IllegalStateException burst = assertThrows(IllegalStateException.class,
                () -> new dev.goloom.x.RateLimiter(10, 3).awaitN(Context.background(), 4));
        assertEquals("rate: Wait(n=4) exceeds limiter's burst 3", burst.getMessage());
        IllegalArgumentException workers = assertThrows(IllegalArgumentException.class,
                () -> dev.goloom.x.Pipelines.fanOut(Context.background(), Chan.<Integer>make(), 0, n -> n));
        assertEquals("pipelines: fanOut needs at least one worker, got 0", workers.getMessage());
    }
}
