package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.RecvChan;
import java.io.PrintStream;

/**
 * The first pipeline of go.dev/blog/pipelines: {@code gen} emits numbers, {@code sq} squares
 * them, main prints 4 9 16. Each stage is a goroutine that owns and closes its output channel.
 *
 * {@snippet lang="go" :
 * func gen(nums ...int) <-chan int {
 *     out := make(chan int)
 *     go func() {
 *         for _, n := range nums { out <- n }
 *         close(out)
 *     }()
 *     return out
 * }
 * func sq(in <-chan int) <-chan int {
 *     out := make(chan int)
 *     go func() {
 *         for n := range in { out <- n * n }
 *         close(out)
 *     }()
 *     return out
 * }
 * for n := range sq(gen(2, 3, 4)) { fmt.Println(n) }
 * }
 * (The library form of these stages, with cancellation, is {@code dev.goloom.x.Pipelines}.)
 */
public final class Pipeline {
    private Pipeline() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        Go.main(() -> {
            for (int n : sq(gen(2, 3, 4))) {
                out.println(n);
            }
        });
    }

    static RecvChan<Integer> gen(int... nums) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            for (int n : nums) {
                out.send(n);
            }
            out.close();
        });
        return out;
    }

    static RecvChan<Integer> sq(RecvChan<Integer> in) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            for (int n : in) {
                out.send(n * n);
            }
            out.close();
        });
        return out;
    }
}
