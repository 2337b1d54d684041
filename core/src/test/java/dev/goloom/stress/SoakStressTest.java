package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Seeds;
import dev.goloom.testing.Stress;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: {@link RandomProgram}s back to back for {@code -Dgoloom.soak.minutes} (30 by default)
 * on four long-lived runtimes (GOMAXPROCS 1, 2, 4, 8), sampling the heap after a GC, the JVM's
 * thread count and the live goroutines; fails if the heap or the thread count grows from the
 * first third of the run to the last (a leak of goroutines, Ms, timers, sudogs or waiters).
 *
 * <p>Tagged {@code soak}: excluded from {@code ./goloom test} and from {@code --stress}; run it
 * with {@code ./goloom test --soak} (the {@code soak} Maven profile), or shorter:
 * {@snippet lang="shell" :
 * ./goloom mvn -pl core test -Psoak -Dtest=SoakStressTest -Dgoloom.soak.minutes=2
 * }
 */
@Tag("soak")
class SoakStressTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    /** One sample of the process. */
    record Sample(long atMillis, long heapBytes, int threads, int goroutines, long programs) {
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.HOURS) // the soak bounds itself by goloom.soak.minutes
    void soak() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("goloom.soak.minutes", 30));
        Duration every = Duration.ofMillis(Math.clamp(length.toMillis() / 60, 1_000, 30_000));
        List<GoRuntime> rts = new ArrayList<>();
        for (int procs : Stress.PROCS) {
            rts.add(t.runtime(procs));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong programs = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        // the load: one platform thread per runtime, each running programs back to back
        List<Thread> drivers = new ArrayList<>();
        SplittableRandom seeds = Seeds.random();
        for (GoRuntime rt : rts) {
            SplittableRandom mine = seeds.split();
            Thread d = new Thread(() -> {
                while (!stop.get() && errors.isEmpty()) {
                    long seed = mine.nextLong() & Long.MAX_VALUE;
                    try {
                        RandomProgram.generate(seed, RandomProgram.Size.small()).run(rt);
                        programs.incrementAndGet();
                    } catch (Throwable e) {
                        failures.incrementAndGet();
                        errors.add(e);
                    }
                }
            }, "soak-driver-" + rt);
            d.start();
            drivers.add(d);
        }
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        try {
            while (System.nanoTime() < end && errors.isEmpty()) {
                Thread.sleep(every.toMillis()); // sampling cadence, not synchronisation
                samples.add(sample(start, rts, programs.get()));
            }
        } finally {
            stop.set(true);
            for (Thread d : drivers) {
                d.join(GoTestSupport.LONG_DELAY.toMillis() * 6);
            }
        }
        printTable(samples);
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("soak: " + failures.get() + " program(s) failed; first: " + errors.get(0), errors.get(0));
            throw e;
        }
        assertTrue(samples.size() >= 6, "too few samples: " + samples.size());
        int third = samples.size() / 3;
        List<Sample> first = samples.subList(1, 1 + third); // skip the first: warm-up
        List<Sample> last = samples.subList(samples.size() - third, samples.size());
        long heap0 = median(first.stream().mapToLong(Sample::heapBytes).toArray());
        long heap1 = median(last.stream().mapToLong(Sample::heapBytes).toArray());
        long thr0 = median(first.stream().mapToLong(Sample::threads).toArray());
        long thr1 = median(last.stream().mapToLong(Sample::threads).toArray());
        assertTrue(heap1 <= heap0 * 3 / 2 + (32L << 20),
                "heap grew: median " + (heap0 >> 20) + " MB in the first third, " + (heap1 >> 20) + " MB in the last");
        assertTrue(thr1 <= thr0 + 8,
                "threads grew: median " + thr0 + " in the first third, " + thr1 + " in the last");
    }

    private static Sample sample(long start, List<GoRuntime> rts, long programs) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        mem.gc(); // heap after a full GC: live data only
        int gs = 0;
        for (GoRuntime rt : rts) {
            gs += rt.numGoroutine();
        }
        return new Sample(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                mem.getHeapMemoryUsage().getUsed(), threads.getThreadCount(), gs, programs);
    }

    private static long median(long[] xs) {
        long[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void printTable(List<Sample> samples) {
        StringBuilder sb = new StringBuilder("soak samples (seconds, heap MB after GC, threads, goroutines, programs):\n");
        for (Sample s : samples) {
            sb.append(String.format("  %7.1f %8.1f %6d %8d %9d%n", s.atMillis() / 1000.0,
                    s.heapBytes() / 1048576.0, s.threads(), s.goroutines(), s.programs()));
        }
        System.out.print(sb);
    }
}
