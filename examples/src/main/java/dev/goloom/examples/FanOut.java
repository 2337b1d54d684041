package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.sync.WaitGroup;
import java.io.PrintStream;

/**
 * Fan-out: several workers receive from one jobs channel, so the jobs spread over them; their
 * results fan back in to one channel, closed when the last worker is done.
 *
 * {@snippet lang="go" :
 * for w := 1; w <= 3; w++ {
 *     wg.Go(func() { for j := range jobs { results <- j * j } })
 * }
 * go func() { wg.Wait(); close(results) }()
 * }
 */
public final class FanOut {
    private FanOut() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int jobsN = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Go.main(() -> {
            Chan<Integer> jobs = Chan.make();
            Chan<int[]> results = Chan.make();      // {worker, job, job*job}
            WaitGroup wg = new WaitGroup();
            for (int w = 1; w <= workers; w++) {
                int id = w;
                wg.go(() -> {
                    for (int j : jobs) {            // each job goes to exactly one worker
                        results.send(new int[] {id, j, j * j});
                    }
                });
            }
            Go.go(() -> {                           // close results once every worker is done
                wg.await();
                results.close();
            });
            Go.go(() -> {                           // feed the jobs, then close
                for (int j = 1; j <= jobsN; j++) {
                    jobs.send(j);
                }
                jobs.close();
            });
            long sum = 0;
            int count = 0;
            for (int[] r : results) {
                out.println("worker " + r[0] + " squared " + r[1] + " = " + r[2]);
                sum += r[2];
                count++;
            }
            out.println(count + " jobs over " + workers + " workers, sum of squares = " + sum);
        });
    }
}
