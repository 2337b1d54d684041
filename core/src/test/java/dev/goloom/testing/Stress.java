package dev.goloom.testing;

import dev.goloom.GoRuntime;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Sizes and sweeps for stress tests: the {@code -Dgoloom.stress.multiplier} knob and the
 * GOMAXPROCS sweep (1, 2, 4, 8) every scheduler-facing stress test runs through.
 *
 * <p>The multiplier is 1 by default (CI: quick, as Go's {@code testing.Short()}), 10 under
 * {@code ./goloom test --stress} (the {@code stress} Maven profile) and whatever
 * {@code -Dgoloom.stress.multiplier=N} says otherwise. Stress tests are classes named
 * {@code *StressTest} annotated {@code @Tag("stress")}; they size every loop with
 * {@link #scaled(int)}.
 *
 * {@snippet :
 * @Tag("stress")
 * class ChanStressTest {
 *     @ParameterizedTest
 *     @MethodSource("dev.goloom.testing.Stress#procs")
 *     void pingPong(int procs) {
 *         Stress.withRuntime(procs, rt -> rt.main(() -> {
 *             int n = Stress.scaled(100_000);
 *             // ...
 *         }));
 *     }
 * }
 * }
 */
public final class Stress {
    /** {@code -Dgoloom.stress.multiplier}, at least 1. */
    public static final int MULTIPLIER = Math.max(1, Integer.getInteger("goloom.stress.multiplier", 1));

    /** The GOMAXPROCS values a sweep covers (Go's scheduler tests use the same powers of two). */
    public static final List<Integer> PROCS = List.of(1, 2, 4, 8);

    private Stress() {
    }

    /** {@code n} times the multiplier (saturating). */
    public static int scaled(int n) {
        long v = (long) n * MULTIPLIER;
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    /** {@code n} times the multiplier (saturating). */
    public static long scaled(long n) {
        return Math.multiplyHigh(n, MULTIPLIER) != 0 ? Long.MAX_VALUE : n * MULTIPLIER;
    }

    /** {@code d} times the multiplier: how long a time-boxed stress loop runs. */
    public static Duration scaled(Duration d) {
        return d.multipliedBy(MULTIPLIER);
    }

    /** Whether the stress profile (or any multiplier above 1) is on. */
    public static boolean isStress() {
        return MULTIPLIER > 1;
    }

    /** The sweep values, for {@code @MethodSource("dev.goloom.testing.Stress#procs")}. */
    public static Stream<Integer> procs() {
        return PROCS.stream();
    }

    /** The sweep values as an {@link IntStream}. */
    public static IntStream procsInts() {
        return PROCS.stream().mapToInt(Integer::intValue);
    }

    /**
     * Runs {@code body} once per GOMAXPROCS value of the sweep, each time on a fresh runtime of
     * that size (closed afterwards, which waits for its goroutines). A failure names the
     * GOMAXPROCS it happened at.
     */
    public static void sweep(BiConsumer<Integer, GoRuntime> body) {
        for (int procs : PROCS) {
            try {
                withRuntime(procs, rt -> body.accept(procs, rt));
            } catch (RuntimeException | Error e) {
                e.addSuppressed(new AssertionError("at maxProcs=" + procs));
                throw e;
            }
        }
    }

    /** Runs {@code body} on a fresh runtime with {@code procs} Ps, then closes it. */
    public static void withRuntime(int procs, java.util.function.Consumer<GoRuntime> body) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("stress-p" + procs).build()) {
            body.accept(rt);
        }
    }

    /**
     * Runs {@code body} once per sweep value with the <em>global</em> runtime's GOMAXPROCS set to
     * it, restoring the previous value afterwards (for code that uses {@code Go.go}).
     */
    public static void sweepGlobal(IntConsumer body) {
        GoRuntime g = GoRuntime.global();
        int before = g.maxProcs();
        try {
            for (int procs : PROCS) {
                g.maxProcs(procs);
                try {
                    body.accept(procs);
                } catch (RuntimeException | Error e) {
                    e.addSuppressed(new AssertionError("at maxProcs=" + procs));
                    throw e;
                }
            }
        } finally {
            g.maxProcs(before);
        }
    }
}
