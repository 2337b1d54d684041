package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.RecvChan;
import dev.goloom.Select;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.time.Time;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fan-in (Rob Pike's "Go Concurrency Patterns"): two boring talkers, each a goroutine behind a
 * channel, merged into one channel with {@code select}; main listens to ten messages and leaves,
 * cancelling the talkers.
 *
 * {@snippet lang="go" :
 * func fanIn(input1, input2 <-chan string) <-chan string {
 *     c := make(chan string)
 *     go func() {
 *         for {
 *             select {
 *             case s := <-input1:  c <- s
 *             case s := <-input2:  c <- s
 *             }
 *         }
 *     }()
 *     return c
 * }
 * }
 */
public final class FanIn {
    private FanIn() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Go.main(() -> {
            try (CancelContext ctx = Context.withCancel(Context.background())) {   // defer cancel()
                RecvChan<String> c = fanIn(ctx, boring(ctx, "Joe"), boring(ctx, "Ann"));
                for (int i = 0; i < n; i++) {
                    out.println(c.recv());
                }
                out.println("You're both boring; I'm leaving.");
            }
        });
    }

    /** A talker: sends "name i" with small random pauses until ctx ends. */
    static RecvChan<String> boring(Context ctx, String name) {
        Chan<String> c = Chan.make();
        Go.go(() -> {
            for (int i = 0; ; i++) {
                boolean[] stop = {false};
                Select.select(
                        Select.send(c, name + " " + i, null),
                        Select.recv(ctx.done(), v -> stop[0] = true));
                if (stop[0]) {
                    return;
                }
                Time.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5)));
            }
        });
        return c;
    }

    /** Merges two channels into one with a select loop, until ctx ends. */
    static RecvChan<String> fanIn(Context ctx, RecvChan<String> input1, RecvChan<String> input2) {
        Chan<String> c = Chan.make();
        Go.go(() -> {
            for (;;) {
                String[] got = {null};
                int i = Select.select(
                        Select.recv(input1, s -> got[0] = s),
                        Select.recv(input2, s -> got[0] = s),
                        Select.recv(ctx.done(), v -> { }));
                if (i == 2 || Select.select(Select.send(c, got[0], null), Select.recv(ctx.done(), v -> { })) == 1) {
                    return;
                }
            }
        });
        return c;
    }
}
