package dev.goloom.examples;

import dev.goloom.Go;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Go by Example's "WaitGroups": start five workers and wait for all of them.
 *
 * {@snippet lang="go" :
 * var wg sync.WaitGroup
 * for i := 1; i <= 5; i++ {
 *     wg.Go(func() { worker(i) })
 * }
 * wg.Wait()
 * }
 */
public final class WaitGroupWorkers {
    private WaitGroupWorkers() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Go.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 1; i <= n; i++) {
                int id = i;
                wg.go(() -> worker(out, id));       // add(1) + go + defer done()
            }
            wg.await();
            out.println("all " + n + " workers done");
        });
    }

    static void worker(PrintStream out, int id) {
        out.println("worker " + id + " starting");
        Time.sleep(Duration.ofMillis(10));          // some expensive task
        out.println("worker " + id + " done");
    }
}
