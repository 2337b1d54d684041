package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.RecvChan;
import dev.goloom.context.Context;
import dev.goloom.time.Time;
import dev.goloom.x.RateLimiter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Go by Example's "Rate Limiting": first one request per tick of a ticker, then a bursty limiter
 * that lets three requests through at once and the rest at the steady rate — here with the token
 * bucket of golang.org/x/time/rate ({@link RateLimiter}).
 *
 * {@snippet lang="go" :
 * limiter := time.Tick(20 * time.Millisecond)
 * for req := range requests { <-limiter; fmt.Println("request", req, time.Now()) }
 *
 * bursty := rate.NewLimiter(rate.Every(20*time.Millisecond), 3)
 * for req := range burstyRequests { bursty.Wait(ctx); fmt.Println("request", req, time.Now()) }
 * }
 */
public final class RateLimit {
    private RateLimit() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        Duration every = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 20);
        Go.main(() -> {
            // 1. one request per tick
            Chan<Integer> requests = Chan.make(5);
            for (int i = 1; i <= 5; i++) {
                requests.send(i);
            }
            requests.close();
            RecvChan<Instant> limiter = Time.tick(every);
            long t0 = System.nanoTime();
            for (int req : requests) {
                limiter.recv();
                out.printf("ticker  request %d at +%d ms%n", req, ms(t0));
            }
            // 2. a token bucket: bursts of 3, then one per `every`
            RateLimiter bursty = new RateLimiter(RateLimiter.every(every), 3);
            long t1 = System.nanoTime();
            for (int req = 1; req <= 6; req++) {
                bursty.await(Context.background());
                out.printf("bucket  request %d at +%d ms%n", req, ms(t1));
            }
            out.println("bucket: 6 requests, burst 3, then one every " + every.toMillis() + " ms");
        });
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
