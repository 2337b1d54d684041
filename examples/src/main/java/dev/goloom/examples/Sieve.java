package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import java.io.PrintStream;
import java.util.StringJoiner;

/**
 * The concurrent prime sieve from Go's documentation: a generator goroutine sends 2, 3, 4, ...;
 * each prime found adds a filter goroutine that drops its multiples. With a context, the whole
 * chain ends when main has its primes (the original leaks the chain at exit).
 *
 * {@snippet lang="go" :
 * ch := make(chan int)
 * go generate(ch)
 * for i := 0; i < 10; i++ {
 *     prime := <-ch
 *     fmt.Println(prime)
 *     ch1 := make(chan int)
 *     go filter(ch, ch1, prime)
 *     ch = ch1
 * }
 * }
 */
public final class Sieve {
    private Sieve() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Go.main(() -> {
            StringJoiner primes = new StringJoiner(" ");
            try (CancelContext ctx = Context.withCancel(Context.background())) {
                RecvChan<Integer> ch = generate(ctx);
                for (int i = 0; i < n; i++) {
                    int prime = ch.recv();
                    primes.add(Integer.toString(prime));
                    ch = filter(ctx, ch, prime);
                }
            }                                       // cancel: the generator and filters end
            out.println("first " + n + " primes: " + primes);
        });
    }

    /** Sends 2, 3, 4, ... until ctx ends. */
    static RecvChan<Integer> generate(Context ctx) {
        Chan<Integer> ch = Chan.make();
        Go.go(() -> {
            for (int i = 2; send(ctx, ch, i); i++) {
                // the send is the body
            }
        });
        return ch;
    }

    /** Copies the values from in to a new channel, dropping those divisible by prime. */
    static RecvChan<Integer> filter(Context ctx, RecvChan<Integer> in, int prime) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            for (;;) {
                int[] v = {0};
                if (Select.select(Select.recv(in, x -> v[0] = x), Select.recv(ctx.done(), x -> { })) == 1) {
                    return;
                }
                if (v[0] % prime != 0 && !send(ctx, out, v[0])) {
                    return;
                }
            }
        });
        return out;
    }

    private static boolean send(Context ctx, Chan<Integer> ch, int v) {
        return Select.select(Select.send(ch, v, null), Select.recv(ctx.done(), x -> { })) == 0;
    }
}
