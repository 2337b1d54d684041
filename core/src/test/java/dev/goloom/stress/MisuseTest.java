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
    void poolWithoutNewReturnsNull() {
        assertNull(new Pool<String>(null).get(), "Go: Get with a nil New returns nil");
    }
}
