package dev.goloom.testing;

import java.util.SplittableRandom;

/**
 * The seed of a randomised test: fresh each run, printed when the test fails, and replayable.
 *
 * <p>Every randomised test takes its randomness from {@link #random()} (or from
 * {@link #seed()}), never from {@code new Random()} or {@code ThreadLocalRandom}. On failure the
 * {@link GoTestSupport} extension prints
 * <pre>goloom: seed 8123497123 (replay: ./goloom mvn -pl core test -Dtest='Class#method' -Dgoloom.seed=8123497123)</pre>
 * With {@code -Dgoloom.seed=N} every test starts from seed {@code N}, so the failing run repeats
 * (as far as thread timing lets it: the seed fixes every random choice the test makes, not the
 * scheduler's interleaving).
 *
 * <p>Tests without the extension call {@link #begin()} themselves and put {@link #describe()}
 * in their failure messages.
 */
public final class Seeds {
    /** {@code -Dgoloom.seed}, or null when each test picks a fresh seed. */
    public static final Long FIXED = Long.getLong("goloom.seed");

    private static volatile long current = fresh();

    private Seeds() {
    }

    /** Starts a test: picks its seed (the fixed one if given, else a fresh one) and returns it. */
    public static long begin() {
        long s = FIXED != null ? FIXED : fresh();
        current = s;
        return s;
    }

    /** The current test's seed. */
    public static long seed() {
        return current;
    }

    /** A new generator from the current test's seed (each call starts from the same point). */
    public static SplittableRandom random() {
        return new SplittableRandom(current);
    }

    /** "seed N (replay with -Dgoloom.seed=N)", for failure messages. */
    public static String describe() {
        return "seed " + current + " (replay with -Dgoloom.seed=" + current + ")";
    }

    private static long fresh() {
        // mixes the clock so two JVMs started in the same nanosecond still differ in practice
        return new SplittableRandom(System.nanoTime() ^ System.identityHashCode(new Object()))
                .nextLong() & Long.MAX_VALUE;
    }
}
