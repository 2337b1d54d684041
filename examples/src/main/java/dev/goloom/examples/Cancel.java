package dev.goloom.examples;

import dev.goloom.Go;
import dev.goloom.RecvChan;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.time.Time;
import dev.goloom.x.Pipelines;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * generate -> filter -> aggregate, with cancellation: the consumer stops once it has enough
 * and cancels the context; every stage sees {@code ctx.done()}, closes its output and ends, so
 * no goroutine is left behind (go.dev/blog/pipelines, "Explicit cancellation").
 *
 * {@snippet lang="go" :
 * ctx, cancel := context.WithCancel(context.Background())
 * defer cancel()
 * for n := range filter(ctx, gen(ctx, 1_000_000), isPrime) {
 *     sum += n; if count++; count == 100 { break }
 * }
 * }
 */
public final class Cancel {
    private Cancel() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int want = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Go.main(() -> {
            int before = Go.numGoroutine();
            long sum = 0;
            int count = 0;
            int last = 0;
            try (CancelContext ctx = Context.withCancel(Context.background())) {   // defer cancel()
                RecvChan<Integer> numbers = Pipelines.generate(ctx, IntStream.range(2, 1_000_000).boxed().toList());
                RecvChan<Integer> primes = Pipelines.filter(ctx, numbers, Cancel::isPrime);
                for (int p : primes) {
                    sum += p;
                    last = p;
                    if (++count == want) {
                        break;                      // enough: leaving cancels the pipeline
                    }
                }
                out.println("stages running before cancel: " + (Go.numGoroutine() - before));
            }
            out.println("sum of the first " + count + " primes = " + sum + " (last " + last + ")");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Go.numGoroutine() > before && System.nanoTime() < deadline) {
                Time.sleep(Duration.ofMillis(1));   // the stages end promptly after the cancel
            }
            out.println("stages running after cancel: " + (Go.numGoroutine() - before));
        });
    }

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
