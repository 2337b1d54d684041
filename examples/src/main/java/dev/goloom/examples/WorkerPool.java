package dev.goloom.examples;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.time.Time;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Go by Example's "Worker Pools": three workers take jobs from a buffered channel and send
 * results to another; five jobs of about 50 ms each take about 100 ms, not 250.
 *
 * {@snippet lang="go" :
 * jobs := make(chan int, numJobs)
 * results := make(chan int, numJobs)
 * for w := 1; w <= 3; w++ { go worker(w, jobs, results) }
 * for j := 1; j <= numJobs; j++ { jobs <- j }
 * close(jobs)
 * for a := 1; a <= numJobs; a++ { <-results }
 * }
 */
public final class WorkerPool {
    private WorkerPool() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int numJobs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Go.main(() -> {
            Chan<Integer> jobs = Chan.make(numJobs);
            Chan<Integer> results = Chan.make(numJobs);
            for (int w = 1; w <= workers; w++) {
                int id = w;
                Go.go(() -> worker(out, id, jobs, results));
            }
            long t0 = System.nanoTime();
            for (int j = 1; j <= numJobs; j++) {
                jobs.send(j);
            }
            jobs.close();
            List<Integer> all = new ArrayList<>();
            for (int a = 1; a <= numJobs; a++) {
                all.add(results.recv());
            }
            all.sort(null);
            out.println("results: " + all);
            out.printf("%d jobs on %d workers took %d ms%n", numJobs, workers, (System.nanoTime() - t0) / 1_000_000);
        });
    }

    static void worker(PrintStream out, int id, Chan<Integer> jobs, Chan<Integer> results) {
        for (int j : jobs) {
            out.println("worker " + id + " started  job " + j);
            Time.sleep(Duration.ofMillis(50));
            out.println("worker " + id + " finished job " + j);
            results.send(j * 2);
        }
    }
}
