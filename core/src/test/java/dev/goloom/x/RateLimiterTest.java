package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.context.ContextCanceledException;
import dev.goloom.sync.WaitGroup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ports the behaviours of golang.org/x/time rate_test.go, on a fake clock (no sleeps). */
class RateLimiterTest {
    private final XTesting.FakeClock clock = new XTesting.FakeClock();

    private RateLimiter limiter(double rate, int burst) {
        return new RateLimiter(rate, burst, clock);
    }

    private static final Duration D = Duration.ofMillis(100);   // Go's d: 1/10 s

    @Test
    void every() {                                     // TestEvery
        assertEquals(RateLimiter.INF, RateLimiter.every(Duration.ZERO));
        assertEquals(RateLimiter.INF, RateLimiter.every(Duration.ofSeconds(-1)));
        assertEquals(10.0, RateLimiter.every(D), 1e-9);
        assertEquals(0.5, RateLimiter.every(Duration.ofSeconds(2)), 1e-9);
    }

    @Test
    void burst1() {                                    // TestLimiterBurst1
        RateLimiter lim = limiter(10, 1);
        assertTrue(lim.allow());
        assertFalse(lim.allow());
        clock.advance(D.dividedBy(2));
        assertFalse(lim.allow());
        clock.advance(D.dividedBy(2));
        assertTrue(lim.allow());
        assertFalse(lim.allow());
        clock.advance(D.multipliedBy(3));
        assertTrue(lim.allow(), "tokens cap at the burst");
        assertFalse(lim.allow());
    }

    @Test
    void burst3() {                                    // TestLimiterBurst3
        RateLimiter lim = limiter(10, 3);
        assertTrue(lim.allowN(2));
        assertTrue(lim.allowN(1));
        assertFalse(lim.allowN(1));
        clock.advance(D);
        assertTrue(lim.allowN(1));
        clock.advance(D.multipliedBy(2));
        assertTrue(lim.allowN(2));
        assertFalse(lim.allowN(1));
        assertFalse(lim.allowN(4), "more than the burst, never");
    }

    @Test
    void zeroRateAllowsBurstThenNothing() {            // TestZeroLimit / Go docs
        RateLimiter lim = limiter(0, 2);
        assertTrue(lim.allow());
        assertTrue(lim.allow());
        assertFalse(lim.allow());
        clock.advance(Duration.ofHours(1));
        assertFalse(lim.allow());
    }

    @Test
    void zeroBurstAllowsNothingUnlessInf() {
        RateLimiter lim = limiter(10, 0);
        assertFalse(lim.allow());
        clock.advance(Duration.ofHours(1));
        assertFalse(lim.allow());
        assertFalse(lim.reserve().ok());
        RateLimiter inf = limiter(RateLimiter.INF, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(inf.allow());
        }
        assertEquals(Duration.ZERO, inf.reserveN(1_000_000).delay());
    }

    @Test
    void negativeRateNeverRefills() {
        RateLimiter lim = limiter(-1, 5);
        assertFalse(lim.allow());
        clock.advance(Duration.ofHours(1));
        assertFalse(lim.allow());
    }

    @Test
    void reserveReportsDelay() {                       // TestSimpleReserve
        RateLimiter lim = limiter(10, 2);
        assertEquals(Duration.ZERO, lim.reserve().delay());
        assertEquals(Duration.ZERO, lim.reserve().delay());
        assertEquals(D, lim.reserve().delay());
        assertEquals(D.multipliedBy(2), lim.reserve().delay());
        clock.advance(D.multipliedBy(2));
        assertEquals(D, lim.reserve().delay());
    }

    @Test
    void reserveTooManyIsNotOk() {                     // TestReserveTooMany
        RateLimiter lim = limiter(10, 3);
        RateLimiter.Reservation r = lim.reserveN(4);
        assertFalse(r.ok());
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), r.delay());
        assertTrue(lim.allowN(3), "a refused reservation takes nothing");
    }

    @Test
    void cancelGivesTokensBack() {                     // TestCancelFirst / TestCancelLast
        RateLimiter lim = limiter(10, 2);
        lim.reserveN(2);                               // empty now
        RateLimiter.Reservation r = lim.reserveN(2);   // due in 2d
        assertEquals(D.multipliedBy(2), r.delay());
        r.cancel();
        assertEquals(D.multipliedBy(2), lim.reserveN(2).delay(), "the cancelled tokens are free again");
    }

    @Test
    void cancelKeepsLaterReservations() {              // TestCancelMiddle
        RateLimiter lim = limiter(10, 5);
        lim.reserveN(5);                               // empty
        RateLimiter.Reservation first = lim.reserveN(1);    // due d
        RateLimiter.Reservation second = lim.reserveN(1);   // due 2d
        assertEquals(D, first.delay());
        assertEquals(D.multipliedBy(2), second.delay());
        first.cancel();                                // second was made after: no token back
        assertEquals(D.multipliedBy(3), lim.reserve().delay());
    }

    @Test
    void cancelAfterTimeToActDoesNothing() {           // TestCancelInvalid / past
        RateLimiter lim = limiter(10, 1);
        lim.reserve();
        RateLimiter.Reservation r = lim.reserve();
        clock.advance(D.multipliedBy(2));
        r.cancel();
        assertTrue(lim.allow());
        assertFalse(lim.allow());
    }

    @Test
    void tokensAndSetters() {                          // TestSetLimit / TestSetBurst / TestTokensAt
        RateLimiter lim = limiter(10, 3);
        assertEquals(3.0, lim.tokens(), 1e-9);
        lim.allowN(3);
        assertEquals(0.0, lim.tokens(), 1e-9);
        clock.advance(D);
        assertEquals(1.0, lim.tokens(), 1e-9);
        lim.setLimit(20);
        clock.advance(D);
        assertEquals(3.0, lim.tokens(), 1e-9);
        lim.setBurst(1);
        assertEquals(1.0, lim.tokens(), 1e-9);
        assertEquals(20.0, lim.limit());
        assertEquals(1, lim.burst());
    }

    @Test
    void concurrentAllowNeverExceedsBurst() {          // TestSimultaneousRequests
        int burst = 5;
        int goroutines = 15;
        RateLimiter lim = limiter(1, burst);           // fake clock stands still: no refill
        AtomicInteger ok = new AtomicInteger();
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < goroutines; i++) {
            wg.go(() -> {
                if (lim.allow()) {
                    ok.incrementAndGet();
                }
            });
        }
        wg.await();
        assertEquals(burst, ok.get());
    }

    @Test
    void awaitReturnsAtOnceWhenTokenAvailable() {      // TestWaitSimple
        RateLimiter lim = limiter(10, 3);
        lim.await(Context.background());
        lim.awaitN(Context.background(), 2);
        assertThrows(IllegalStateException.class, () -> lim.awaitN(Context.background(), 4),
                "more than the burst");
    }

    @Test
    void awaitWithEndedContextThrowsErr() {
        RateLimiter lim = limiter(10, 3);
        CancelContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        assertThrows(ContextCanceledException.class, () -> lim.await(ctx));
        assertTrue(lim.allowN(3), "nothing was taken");
    }

    @Test
    void awaitPastDeadlineFailsAtOnce() {              // TestWaitTimeout
        RateLimiter lim = limiter(1, 1);               // one per second
        lim.allow();                                   // next token in 1 s
        try (CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(500))) {
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> lim.await(ctx));
            assertEquals("rate: Wait(n=1) would exceed context deadline", e.getMessage());
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(400).toNanos(), "failed at once");
        }
        assertFalse(lim.allow(), "nothing was reserved by the failed wait");
    }

    @Test
    void awaitWaitsForTheDelay() {
        RateLimiter lim = new RateLimiter(RateLimiter.every(Duration.ofMillis(20)), 1);
        lim.allow();
        long t0 = System.nanoTime();
        lim.await(Context.background());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(10).toNanos(), "waited for a token");
    }

    @Test
    void awaitCancelledWhileWaitingGivesTokenBack() {
        RateLimiter lim = limiter(1, 1);               // fake clock: the wait is 1 s of real time
        lim.allow();
        CancelContext ctx = Context.withCancel(Context.background());
        WaitGroup wg = new WaitGroup();
        AtomicInteger canceled = new AtomicInteger();
        wg.go(() -> {
            try {
                lim.await(ctx);
            } catch (ContextCanceledException e) {
                canceled.incrementAndGet();
            }
        });
        XTesting.eventually("the waiter reserved", () -> lim.tokens() < 0);
        ctx.cancel();
        wg.await();
        assertEquals(1, canceled.get());
        assertEquals(0.0, lim.tokens(), 1e-9, "the reserved token was given back");
    }
}
