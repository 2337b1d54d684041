package dev.goloom.x;

import dev.goloom.GoInterruptedException;
import dev.goloom.Select;
import dev.goloom.context.Context;
import dev.goloom.time.Time;
import dev.goloom.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A token-bucket rate limiter: Go's {@code golang.org/x/time/rate.Limiter}.
 *
 * <p>The bucket holds at most {@code burst} tokens and refills at {@code perSecond} tokens per
 * second; it starts full. Each event takes one token. {@link #allow()} takes a token if one is
 * there and says whether it did; {@link #await(Context)} waits until a token is there (or the
 * context ends); {@link #reserve()} takes a token that may be in the future and says how long to
 * wait for it ({@link Reservation#delay()}), which the caller may {@link Reservation#cancel()
 * cancel}.
 *
 * {@snippet :
 * RateLimiter limiter = new RateLimiter(10, 1);    // 10 events per second, no bursts
 * for (Request r : requests) {
 *     limiter.await(ctx);                          // at most one every 100 ms
 *     Go.go(() -> handle(r));
 * }
 * }
 *
 * <h2>Special rates and bursts (as Go's documentation says)</h2>
 * <ul>
 *   <li>{@link #INF}: every event is allowed, whatever the burst (even 0).
 *   <li>A zero rate: the first {@code burst} events are allowed, then none.
 *   <li>A burst of 0: no event is allowed, unless the rate is {@code INF}.
 *   <li>A negative rate: the bucket never refills (and starts empty, as Go's zero-time start).
 * </ul>
 *
 * <h2>Blocking and cancellation</h2>
 * {@code await(ctx)} throws {@code ctx.err()} if the context ends first, giving back its
 * reservation so later events can use it. If the wait would outlast the context's deadline, it
 * fails at once, as Go's {@code Wait}, with {@code IllegalStateException("rate: Wait(n=1) would
 * exceed context deadline")}. It waits in a {@code select} on a timer and {@code ctx.done()}
 * (dumps show {@code [select]}); an interrupt ends it with {@link GoInterruptedException} (flag
 * kept), the reservation given back.
 *
 * <h2>Memory consistency effects</h2>
 * The limiter's state is guarded by a lock: a call that takes a token happens-after every
 * earlier call on the limiter.
 */
public final class RateLimiter {
    /* Implementation notes
     *
     * Overview
     *   Go's lazy token bucket: no timer refills the bucket. State is (tokens, last): the number
     *   of tokens at time `last`. advance(now) computes the tokens now (tokens + elapsed * rate,
     *   capped at burst). A reservation subtracts n tokens, possibly going negative: the time to
     *   act is when the deficit will have refilled. lastEvent (the latest time to act) lets a
     *   cancelled reservation give back only the tokens not used by reservations made after it.
     *
     * Lineage
     *   golang.org/x/time rate/rate.go (Limiter.reserveN, advance, Wait, Reservation.CancelAt,
     *   Every, Inf). Deviations: times are nanoTime longs from an injectable clock (Go: time.Time);
     *   a negative or NaN rate and negative burst: NaN is rejected, the rest is kept as Go's;
     *   errors are exceptions with Go's messages.
     *
     * Invariants (under mu)
     *   I1 tokens <= burst after every advance (it may be negative: reserved future tokens).
     *   I2 lastEvent >= the time to act of every ok reservation made so far.
     *
     * Ownership & locking
     *   All state is guarded by mu (a leaf lock held for arithmetic only).
     *
     * Memory ordering
     *   Through mu only.
     *
     * Rejected alternatives
     *   A timer-driven refill (a goroutine adding tokens): costs a goroutine per limiter and
     *   cannot answer "how long until a token" exactly; Go's lazy arithmetic can.
     */

    /** The rate with no limit: every event is allowed. Go's {@code rate.Inf}. */
    public static final double INF = Double.POSITIVE_INFINITY;

    /** Go's {@code InfDuration}: the delay of a reservation that can never be honoured. */
    static final long INF_NANOS = Long.MAX_VALUE;

    private final ReentrantLock mu = new ReentrantLock();
    private final LongSupplier clock;
    private double limit;
    private int burst;
    private double tokens;
    private long last;
    private long lastEvent;

    /**
     * A limiter that allows events at {@code perSecond} per second with bursts of up to
     * {@code burst} events; the bucket starts full. Go's {@code rate.NewLimiter}.
     *
     * @throws IllegalArgumentException if perSecond is NaN
     */
    public RateLimiter(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    /** As the public constructor, with a clock of nanoseconds (tests). */
    RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        if (Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("rate: limit is NaN");
        }
        this.clock = Objects.requireNonNull(nanoClock);
        this.limit = perSecond;
        this.burst = burst;
        this.last = nanoClock.getAsLong();
        this.lastEvent = last;
        this.tokens = perSecond > 0 ? Math.max(burst, 0) : 0;   // Go: full after the zero-time advance
    }

    /** The rate of one event every {@code interval}: Go's {@code rate.Every}; INF if {@code interval <= 0}. */
    public static double every(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return INF;
        }
        return 1e9 / interval.toNanos();
    }

    // ------------------------------------------------------------------------------ queries

    /** The rate in events per second. */
    public double limit() {
        mu.lock();
        try {
            return limit;
        } finally {
            mu.unlock();
        }
    }

    /** The burst size. */
    public int burst() {
        mu.lock();
        try {
            return burst;
        } finally {
            mu.unlock();
        }
    }

    /** The tokens in the bucket now (negative when future tokens are reserved): Go's {@code Tokens}. */
    public double tokens() {
        mu.lock();
        try {
            return advance(clock.getAsLong());
        } finally {
            mu.unlock();
        }
    }

    /** Changes the rate; reservations already made keep their times. Go's {@code SetLimit}. */
    public void setLimit(double perSecond) {
        if (Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("rate: limit is NaN");
        }
        mu.lock();
        try {
            long now = clock.getAsLong();
            tokens = advance(now);
            last = now;
            limit = perSecond;
        } finally {
            mu.unlock();
        }
    }

    /** Changes the burst size. Go's {@code SetBurst}. */
    public void setBurst(int newBurst) {
        mu.lock();
        try {
            long now = clock.getAsLong();
            tokens = advance(now);
            last = now;
            burst = newBurst;
        } finally {
            mu.unlock();
        }
    }

    // ------------------------------------------------------------------------------ allow

    /** Takes one token if there is one now; returns whether it did. Go's {@code Allow}. */
    public boolean allow() {
        return allowN(1);
    }

    /** Takes {@code n} tokens if they are all there now; returns whether it did. Go's {@code AllowN}. */
    public boolean allowN(int n) {
        return reserveN(clock.getAsLong(), n, 0).ok;
    }

    // ------------------------------------------------------------------------------ reserve

    /** Reserves one token, now or in the future: Go's {@code Reserve}. */
    public Reservation reserve() {
        return reserveN(1);
    }

    /**
     * Reserves {@code n} tokens: Go's {@code ReserveN}. The reservation is not ok (and reserves
     * nothing) if {@code n} exceeds the burst, unless the rate is {@link #INF}.
     */
    public Reservation reserveN(int n) {
        return reserveN(clock.getAsLong(), n, INF_NANOS);
    }

    /** Go's {@code reserveN}: the one place the bucket changes (under mu). */
    private Reservation reserveN(long now, int n, long maxFutureReserve) {
        mu.lock();
        try {
            if (limit == INF) {
                return new Reservation(true, n, now, limit);
            }
            if (limit == 0) {
                boolean ok = burst >= n;       // a zero rate spends the burst itself, once
                if (ok) {
                    burst -= n;
                }
                return new Reservation(ok, n, now, limit);
            }
            double t = advance(now) - n;
            long wait = t < 0 ? nanosFromTokens(limit, -t) : 0;
            boolean ok = n <= burst && wait <= maxFutureReserve;
            if (!ok) {
                return new Reservation(false, 0, now, limit);
            }
            Reservation r = new Reservation(true, n, now + wait, limit);
            last = now;
            tokens = t;
            lastEvent = r.timeToAct;           // keeps I2
            return r;
        } finally {
            mu.unlock();
        }
    }

    /** The tokens at {@code now} (under mu; keeps I1). Go's {@code advance}. */
    private double advance(long now) {
        long from = now - last < 0 ? now : last;
        double t = tokens + tokensFromNanos(limit, now - from);
        return Math.min(t, burst);
    }

    private static double tokensFromNanos(double limit, long nanos) {
        return limit <= 0 ? 0 : nanos / 1e9 * limit;
    }

    /** Go's Limit.durationFromTokens: how long {@code t} tokens take to accrue at {@code limit}. */
    private static long nanosFromTokens(double limit, double t) {
        if (limit <= 0) {
            return INF_NANOS;
        }
        double ns = t / limit * 1e9;
        return ns >= INF_NANOS ? INF_NANOS : (long) ns;
    }

    // ------------------------------------------------------------------------------ await

    /**
     * Waits until a token is available and takes it, or until {@code ctx} ends: Go's
     * {@code Wait}.
     *
     * @throws RuntimeException {@code ctx.err()} if ctx ended first (the reservation is given back)
     * @throws IllegalStateException "rate: Wait(n=1) would exceed context deadline" at once if
     *         the token would come after ctx's deadline; "rate: Wait(n=1) exceeds limiter's
     *         burst 0" if the burst is 0 (and the rate not INF)
     * @throws GoInterruptedException if interrupted while waiting
     */
    public void await(Context ctx) {
        awaitN(ctx, 1);
    }

    /** As {@link #await(Context)}, for {@code n} tokens: Go's {@code WaitN}. */
    public void awaitN(Context ctx, int n) {
        Objects.requireNonNull(ctx, "rate: await(null)");
        int b;
        double lim;
        mu.lock();
        try {
            b = burst;
            lim = limit;
        } finally {
            mu.unlock();
        }
        if (n > b && lim != INF) {
            throw new IllegalStateException("rate: Wait(n=" + n + ") exceeds limiter's burst " + b);
        }
        if (ctx.done().tryRecv() != null) {
            throw ctx.err();                   // ended already
        }
        long now = clock.getAsLong();
        long waitLimit = INF_NANOS;
        Optional<Instant> deadline = ctx.deadline();
        if (deadline.isPresent()) {
            waitLimit = nanosUntil(deadline.get());
        }
        Reservation r = reserveN(now, n, waitLimit);
        if (!r.ok) {
            throw new IllegalStateException("rate: Wait(n=" + n + ") would exceed context deadline");
        }
        long delay = r.delayFrom(now);
        if (delay == 0) {
            return;
        }
        Timer t = Time.newTimer(Duration.ofNanos(delay));
        try {
            int which = Select.select(Select.recv(t.c(), v -> { }), Select.recv(ctx.done(), v -> { }));
            if (which == 1) {
                r.cancel();                    // give the tokens back to later events
                throw ctx.err();
            }
        } catch (GoInterruptedException e) {
            r.cancel();
            throw e;
        } finally {
            t.stop();
        }
    }

    private static long nanosUntil(Instant deadline) {
        try {
            return Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        } catch (ArithmeticException overflow) {
            return deadline.isAfter(Instant.now()) ? INF_NANOS : 0;
        }
    }

    @Override
    public String toString() {
        return "RateLimiter[limit=" + limit() + "/s, burst=" + burst() + "]";
    }

    // ------------------------------------------------------------------------------ Reservation

    /**
     * Tokens reserved by {@link RateLimiter#reserve()}: when they may be used, and a way to give
     * them back. Go's {@code rate.Reservation}.
     */
    public final class Reservation {
        private final boolean ok;
        private final int n;
        private final long timeToAct;
        private final double limitAtReserve;

        private Reservation(boolean ok, int n, long timeToAct, double limitAtReserve) {
            this.ok = ok;
            this.n = n;
            this.timeToAct = timeToAct;
            this.limitAtReserve = limitAtReserve;
        }

        /** Whether the limiter can honour the reservation (false: n exceeds the burst). Go's {@code OK}. */
        public boolean ok() {
            return ok;
        }

        /**
         * How long to wait before acting on the reservation; zero means now. For a reservation
         * that is not ok, the longest Duration (Go's {@code InfDuration}). Go's {@code Delay}.
         */
        public Duration delay() {
            return Duration.ofNanos(delayFrom(clock.getAsLong()));
        }

        long delayFrom(long now) {
            if (!ok) {
                return INF_NANOS;
            }
            long d = timeToAct - now;
            return d < 0 ? 0 : d;
        }

        /**
         * Gives the reservation's tokens back, as far as reservations made after it have not
         * used them; does nothing once its time to act has passed. Go's {@code Cancel}.
         */
        public void cancel() {
            cancelAt(clock.getAsLong());
        }

        private void cancelAt(long now) {
            if (!ok) {
                return;
            }
            mu.lock();
            try {
                if (limit == INF || limitAtReserve == INF || limitAtReserve == 0 || n == 0
                        || timeToAct < now) {
                    return;
                }
                // tokens reserved after this one (between its time and lastEvent) stay reserved
                double restore = n - tokensFromNanos(limitAtReserve, lastEvent - timeToAct);
                if (restore <= 0) {
                    return;
                }
                double t = Math.min(advance(now) + restore, burst);
                last = now;
                tokens = t;
                if (timeToAct == lastEvent) {
                    long prev = timeToAct - nanosFromTokens(limitAtReserve, n);
                    if (prev - now >= 0) {
                        lastEvent = prev;
                    }
                }
            } finally {
                mu.unlock();
            }
        }

        @Override
        public String toString() {
            return ok ? "Reservation[n=" + n + ", delay=" + delay() + "]" : "Reservation[not ok]";
        }
    }
}
