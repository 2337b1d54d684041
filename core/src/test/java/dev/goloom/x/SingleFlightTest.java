package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ports the behaviours of golang.org/x/sync singleflight_test.go. */
class SingleFlightTest {
    static GoRuntime rt;

    @BeforeAll
    static void start() {
        rt = GoRuntime.builder().name("singleflight-test").maxProcs(2).build();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @Test
    void runReturnsValue() {                           // TestDo
        SingleFlight<String, String> g = new SingleFlight<>();
        assertEquals("bar", g.run("key", () -> "bar"));
        SingleFlight.Result<String> r = g.runShared("key", () -> "baz");
        assertEquals("baz", r.value(), "a later call runs again");
        assertFalse(r.shared());
        assertEquals(0, g.inFlight());
    }

    @Test
    void runRethrowsFailure() {                        // TestDoErr
        SingleFlight<String, String> g = new SingleFlight<>();
        IllegalStateException boom = new IllegalStateException("some error");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> g.run("key", () -> { throw boom; })));
        IOException io = new IOException("checked");
        RuntimeException wrapped = assertThrows(RuntimeException.class, () -> g.run("key", () -> { throw io; }));
        assertSame(io, wrapped.getCause());
        assertEquals("ok", g.run("key", () -> "ok"), "a failed call is not remembered");
    }

    @Test
    void concurrentCallersShareOneCall() {             // TestDoDupSuppress
        rt.main(() -> {
            SingleFlight<String, String> g = new SingleFlight<>();
            Chan<String> c = Chan.make();
            AtomicInteger calls = new AtomicInteger();
            int n = 10;
            WaitGroup started = new WaitGroup();
            WaitGroup wg = new WaitGroup();
            AtomicInteger shared = new AtomicInteger();
            started.add(n);
            for (int i = 0; i < n; i++) {
                wg.go(() -> {
                    started.done();
                    SingleFlight.Result<String> r = g.runShared("key", () -> {
                        calls.incrementAndGet();
                        return c.recv();                // held until the test sends
                    });
                    assertEquals("bar", r.value());
                    if (r.shared()) {
                        shared.incrementAndGet();
                    }
                });
            }
            started.await();
            // wait until the one call is running and the other n-1 wait for it
            GoTestSupport.awaitWaiting(rt, "sync.WaitGroup.Wait", n - 1);
            c.send("bar");
            wg.await();
            assertEquals(1, calls.get(), "number of calls");
            assertEquals(n, shared.get(), "every caller sees shared=true");
        });
    }

    @Test
    void failureIsSharedByAllCallers() {
        rt.main(() -> {
            SingleFlight<Integer, Integer> g = new SingleFlight<>();
            Chan<Void> release = Chan.make();
            RuntimeException boom = new IllegalStateException("shared failure");
            AtomicInteger failures = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            Chan<Void> running = Chan.make(1);
            wg.go(() -> {
                try {
                    g.run(1, () -> { running.send(null); release.recv(); throw boom; });
                } catch (IllegalStateException e) {
                    assertSame(boom, e);
                    failures.incrementAndGet();
                }
            });
            running.recv();
            for (int i = 0; i < 3; i++) {
                wg.go(() -> {
                    try {
                        g.run(1, () -> 0);
                    } catch (IllegalStateException e) {
                        assertSame(boom, e);
                        failures.incrementAndGet();
                    }
                });
            }
            GoTestSupport.awaitWaiting(rt, "sync.WaitGroup.Wait", 3);
            release.close();
            wg.await();
            assertEquals(4, failures.get());
        });
    }

    @Test
    void forgetLetsTheNextCallRun() {                  // TestForget
        rt.main(() -> {
            SingleFlight<String, Integer> g = new SingleFlight<>();
            Chan<Void> firstStarted = Chan.make(1);
            Chan<Void> firstFinish = Chan.make();
            WaitGroup wg = new WaitGroup();
            AtomicReference<Integer> first = new AtomicReference<>();
            wg.go(() -> first.set(g.run("key", () -> {
                firstStarted.send(null);
                firstFinish.recv();
                return 1;
            })));
            firstStarted.recv();
            g.forget("key");
            Chan<Void> secondStarted = Chan.make(1);
            Chan<Void> secondFinish = Chan.make();
            AtomicReference<Integer> second = new AtomicReference<>();
            wg.go(() -> second.set(g.run("key", () -> {
                secondStarted.send(null);
                secondFinish.recv();
                return 2;
            })));
            secondStarted.recv();                       // a new call ran despite the first in flight
            firstFinish.close();
            // the third joins the second call (still in flight), not the forgotten first
            AtomicReference<Integer> third = new AtomicReference<>();
            wg.go(() -> third.set(g.run("key", () -> 3)));
            GoTestSupport.awaitWaiting(rt, "sync.WaitGroup.Wait", 1);
            secondFinish.close();
            wg.await();
            assertEquals(1, first.get());
            assertEquals(2, second.get());
            assertEquals(2, third.get());
        });
    }

    @Test
    void distinctKeysDoNotShare() {
        rt.main(() -> {
            SingleFlight<Integer, Integer> g = new SingleFlight<>();
            AtomicInteger calls = new AtomicInteger();
            Chan<Void> hold = Chan.make();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 4; i++) {
                int k = i;
                wg.go(() -> assertEquals(k, g.run(k, () -> { calls.incrementAndGet(); hold.recv(); return k; })));
            }
            GoTestSupport.awaitWaiting(rt, "chan receive", 4);
            assertEquals(4, g.inFlight());
            hold.close();
            wg.await();
            assertEquals(4, calls.get());
            assertTrue(g.inFlight() == 0);
        });
    }
}
