package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import java.io.PrintStream;

/**
 * Go's first concurrent program: a goroutine sends on a channel, main receives.
 *
 * {@snippet lang="go" :
 * messages := make(chan string)
 * go func() { messages <- "hello from a goroutine" }()
 * fmt.Println(<-messages)
 * }
 */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        Go.main(() -> {
            Chan<String> messages = Chan.make();
            Go.go(() -> messages.send("hello from a goroutine"));
            out.println(messages.recv());
        });
    }
}
