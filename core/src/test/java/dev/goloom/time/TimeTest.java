package dev.goloom.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.DeadlockError;
import dev.goloom.GoRuntime;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.internal.chan.HChan;
import dev.goloom.testing.Stress;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Behaviours of Go's src/time sleep_test.go and tick_test.go, with Go 1.23 timer channels. */
class TimeTest {
    private static final long MS = 1_000_000L;

    @Test
    void afterDeliversTheTimeAfterTheDuration() {
        long t0 = System.nanoTime();
        Instant before = Instant.now();
        Instant v = Time.after(Duration.ofMillis(20)).recv();
        assertTrue(System.nanoTime() - t0 >= 20 * MS);
        assertFalse(v.isBefore(before));
    }

    @Test
    void afterZeroOrNegativeIsReadyAtOnce() {
        assertNotNull(Time.after(Duration.ZERO).tryRecv());
        assertNotNull(Time.after(Duration.ofSeconds(-1)).tryRecv());
    }

    @Test
    void stopBeforeFiringReturnsTrueAndNothingArrives() {
        Timer t = Time.newTimer(Duration.ofHours(1));
        assertTrue(t.stop());
        assertFalse(t.stop());
        assertNull(t.c().tryRecv());
        assertFalse(((TimeTimer) t).rec().isPending());
    }

    @Test
    void stopAfterFiringButBeforeReceivingDrainsAndReturnsTrue() {
        Timer t = Time.newTimer(Duration.ZERO);         // delivered at once into the slot
        assertTrue(t.stop(), "Go 1.23: the value was not received, so stop reports it stopped");
        assertNull(t.c().tryRecv(), "no stale value after stop");
        assertFalse(t.stop());
    }

    @Test
    void stopAfterReceivingReturnsFalse() {
        Timer t = Time.newTimer(Duration.ofMillis(1));
        assertNotNull(t.c().recv());
        assertFalse(t.stop());
        assertFalse(t.reset(Duration.ofHours(1)));
        assertTrue(t.stop());
    }

    @Test
    void resetReportsActiveAndRearms() {
        Timer t = Time.newTimer(Duration.ofHours(1));
        long t0 = System.nanoTime();                     // before reset: it reads the clock itself
        assertTrue(t.reset(Duration.ofMillis(5)));
        assertNotNull(t.c().recv());
        assertTrue(System.nanoTime() - t0 >= 4 * MS);
        assertFalse(t.reset(Duration.ofMillis(1)));
        assertNotNull(t.c().recv());
    }

    /** Go 1.23: once reset/stop returns, no value from the old arming is ever received. */
    @Test
    void noStaleValueAfterResetOrStop() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            Timer t = Time.newTimer(Duration.ofNanos(r.nextLong(200_000)));
            long spin = r.nextLong(300_000);
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < spin) {
                Thread.onSpinWait();
            }
            if (r.nextBoolean()) {
                t.reset(Duration.ofHours(1));
            } else {
                t.stop();
            }
            assertNull(t.c().tryRecv(), "stale value at iteration " + i);
            t.stop();
        }
    }

    @Test
    void timerChannelsReportLenAndCapZero() {
        Timer t = Time.newTimer(Duration.ZERO);          // its value is waiting in the slot
        assertEquals(0, t.c().cap(), "Go 1.23: timer channels are unbuffered");
        assertEquals(0, t.c().len(), "Go 1.23: len of a timer channel is 0");
        assertNotNull(t.c().tryRecv(), "the value is still there");
        Ticker tk = Time.newTicker(Duration.ofHours(1));
        assertEquals(0, tk.c().cap());
        tk.stop();
        assertEquals(0, Time.after(Duration.ofHours(1)).cap());
        assertEquals(0, Time.tick(Duration.ofHours(1)).cap());
    }

    /**
     * stop() and reset() of one timer from two threads at once must look atomic (Go holds t.mu
     * across both): either stop;reset (stop true, reset false, armed after) or reset;stop (both
     * true, stopped after). Before they were serialised, reset's arming could survive a stop
     * that returned false while reset returned true: no order explains that.
     */
    @Test
    void stopRacingResetIsAtomic() throws Exception {
        int rounds = Stress.scaled(2_000);
        for (int kind = 0; kind < 2; kind++) {
            for (int i = 0; i < rounds; i++) {
                Timer t = kind == 0
                        ? Time.newTimer(Duration.ofHours(1))
                        : Time.afterFunc(Duration.ofHours(1), () -> { });
                boolean[] res = new boolean[2];
                AtomicInteger ready = new AtomicInteger();
                Thread a = Thread.ofPlatform().start(() -> {
                    ready.incrementAndGet();
                    while (ready.get() < 2) {
                        Thread.onSpinWait();
                    }
                    res[0] = t.stop();
                });
                Thread b = Thread.ofPlatform().start(() -> {
                    ready.incrementAndGet();
                    while (ready.get() < 2) {
                        Thread.onSpinWait();
                    }
                    res[1] = t.reset(Duration.ofHours(1));
                });
                a.join();
                b.join();
                boolean armedAfter = t.stop();
                boolean stopFirst = res[0] && !res[1] && armedAfter;
                boolean resetFirst = res[0] && res[1] && !armedAfter;
                assertTrue(stopFirst || resetFirst, (kind == 0 ? "Timer" : "AfterFunc")
                        + " round " + i + ": stop=" + res[0] + " reset=" + res[1]
                        + " armed after=" + armedAfter + " matches no order of the two calls");
            }
        }
    }

    @Test
    void afterFuncRunsInItsOwnGoroutine() throws InterruptedException {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CountDownLatch ran = new CountDownLatch(1);
            boolean[] inGoroutine = new boolean[1];
            rt.main(() -> {
                Timer t = Time.afterFunc(Duration.ofMillis(5), () -> {
                    inGoroutine[0] = dev.goloom.Go.current() != null;
                    ran.countDown();
                });
                assertNull(t.c());
                assertTrue(ran.await(10, TimeUnit.SECONDS));
                assertFalse(t.stop());
            });
            assertTrue(inGoroutine[0]);
        }
    }

    @Test
    void afterFuncStoppedNeverRuns() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        Timer t = Time.afterFunc(Duration.ofMillis(30), runs::incrementAndGet);
        assertTrue(t.stop());
        assertFalse(t.stop());
        // a second timer, started later and due later, fires: the first has had its chance
        CountDownLatch later = new CountDownLatch(1);
        Time.afterFunc(Duration.ofMillis(60), later::countDown);
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertEquals(0, runs.get());
        // reset re-arms a stopped afterFunc
        CountDownLatch again = new CountDownLatch(1);
        Timer u = Time.afterFunc(Duration.ofHours(1), again::countDown);
        assertTrue(u.reset(Duration.ofMillis(1)));
        assertTrue(again.await(10, TimeUnit.SECONDS));
    }

    @Test
    void tickerTicksAndStops() {
        long t0 = System.nanoTime();
        Ticker tk = Time.newTicker(Duration.ofMillis(5));
        for (int i = 0; i < 3; i++) {
            assertNotNull(tk.c().recv());
        }
        assertTrue(System.nanoTime() - t0 >= 15 * MS);
        tk.stop();
        assertNull(tk.c().tryRecv(), "no tick after stop returns");
        assertFalse(((TimeTicker) tk).rec().isPending());
        tk.reset(Duration.ofMillis(2));
        assertNotNull(tk.c().recv());
        tk.stop();
    }

    @Test
    void tickerDropsTicksForASlowReceiver() {
        Ticker tk = Time.newTicker(Duration.ofMillis(1));
        Time.sleep(Duration.ofMillis(50));               // ~50 ticks due, at most one kept
        assertTrue(tk.c().len() <= 1);
        assertNotNull(tk.c().recv());
        tk.stop();
    }

    @Test
    void badTickerIntervals() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Time.newTicker(Duration.ZERO));
        assertEquals("non-positive interval for NewTicker", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Time.newTicker(Duration.ofMillis(-1)));
        Ticker tk = Time.newTicker(Duration.ofHours(1));
        e = assertThrows(IllegalArgumentException.class, () -> tk.reset(Duration.ZERO));
        assertEquals("non-positive interval for Ticker.Reset", e.getMessage());
        tk.stop();
        assertNull(Time.tick(Duration.ZERO));
    }

    @Test
    void tickIsUsableAsAChannel() {
        RecvChan<Instant> c = Time.tick(Duration.ofMillis(2));
        int n = 0;
        for (Instant ignored : c) {
            if (++n == 3) {
                break;
            }
        }
        assertEquals(3, n);
    }

    @Test
    void afterInASelect() {
        Chan<Integer> never = Chan.make();
        int[] which = {-1};
        int i = Select.select(
                Select.recv(never, v -> which[0] = 0),
                Select.recv(Time.after(Duration.ofMillis(10)), v -> which[0] = 1));
        assertEquals(1, i);
        assertEquals(1, which[0]);
        assertEquals(1, Select.select(
                Select.recv(never, v -> { }),
                Select.after(Duration.ofMillis(5), () -> { })));
    }

    /** An unreferenced ticker is collected and its heap entry dropped (Go 1.23). */
    @Test
    void anUnreferencedTickerIsCollected() throws InterruptedException {
        WeakReference<HChan> ch;
        dev.goloom.internal.timer.Timer rec;
        {
            TimeTicker tk = (TimeTicker) Time.newTicker(Duration.ofMillis(1));
            ch = new WeakReference<>(tk.hchan);
            rec = tk.rec();
        }
        for (int i = 0; i < 500 && (ch.get() != null || rec.isPending()); i++) {
            System.gc();
            Thread.sleep(5);
        }
        assertNull(ch.get(), "ticker channel not collected");
        assertFalse(rec.isPending(), "heap entry not dropped");
    }

    /** A goroutine blocked in a select on after() is woken even if GC runs meanwhile. */
    @Test
    void aBlockedReceiverKeepsItsTimerAlive() throws InterruptedException {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CountDownLatch done = new CountDownLatch(1);
            rt.go(() -> {
                Select.select(Select.recv(Chan.<Integer>make(), v -> { }),
                        Select.after(Duration.ofMillis(200), () -> { }));
                done.countDown();
            });
            for (int i = 0; i < 10; i++) {
                System.gc();
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aGoroutineWaitingOnATimerIsNotDeadlocked() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(1).build()) {
            rt.main(() -> Time.after(Duration.ofMillis(300)).recv());
            rt.main(() -> Time.afterFunc(Duration.ofMillis(300), () -> { }));
        }
    }

    /** Go 1.23: a timer whose channel nobody waits on is not pending work. */
    @Test
    void anUnwatchedTimerDoesNotHideADeadlock() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(1).build()) {
            Chan<Integer> never = Chan.make();
            DeadlockError e = assertThrows(DeadlockError.class, () -> rt.main(() -> {
                Timer t = Time.newTimer(Duration.ofHours(1));
                never.recv();
                t.stop();
            }));
            assertTrue(e.getMessage().startsWith("all goroutines are asleep - deadlock!"));
            never.close();                                // let the deadlocked goroutine end
        }
    }

    @Test
    void manyTimersStartAndStop() {
        int n = 200_000;
        Timer[] ts = new Timer[n];
        for (int i = 0; i < n; i++) {
            ts[i] = Time.newTimer(Duration.ofSeconds(100 + i % 1000));
        }
        for (Timer t : ts) {
            assertTrue(t.stop());
            assertFalse(((TimeTimer) t).rec().isPending());
        }
    }

    /**
     * Go's select-with-time.After loop: the timers of channels nobody holds leave the heap after
     * a GC, not an hour later when they would have fired.
     */
    @Test
    void unreferencedTimersLeaveTheHeapAfterAGc() throws InterruptedException {
        dev.goloom.internal.timer.TimerHost old = dev.goloom.internal.timer.Timers.host;
        var host = new dev.goloom.internal.timer.ThreadTimerHost(1);
        dev.goloom.internal.timer.Timers.host = host;
        try {
            for (int i = 0; i < 100_000; i++) {
                Time.after(Duration.ofHours(1));
            }
            for (int i = 0; i < 100 && host.heaps().get(0).size() > 1000; i++) {
                System.gc();
                Thread.sleep(10);
                Time.after(Duration.ofHours(1));             // expunges on creation
            }
            assertTrue(host.heaps().get(0).size() <= 1000, "left: " + host.heaps().get(0).size());
        } finally {
            dev.goloom.internal.timer.Timers.host = old;
        }
    }
}
