package dev.goloom.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * lincheck options sized for goloom's suite: small in the default run, scaled by
 * {@link Stress#MULTIPLIER} under {@code --stress}.
 *
 * <p>A {@code *LincheckTest} is a <b>public</b> class (lincheck instantiates it reflectively) with
 * public {@code @Operation} methods over one fresh instance of the structure, driven from
 * lincheck's own platform threads (lincheck does not drive virtual threads: drive the structure
 * directly, as Go's {@code export_test.go} does). Every operation must complete in every
 * interleaving lincheck may pick: a blocking call that can wait forever is reported as
 * "The execution has hung" — use the {@code try*} forms there, or
 * {@link LinearizabilityChecker} which accepts "still blocked" as an outcome.
 *
 * {@snippet :
 * public class ChanBuffered1LincheckTest {
 *     private final Chan<Integer> ch = Chan.make(1);
 *
 *     @Operation public boolean trySend(int x) { return ch.trySend(x); }
 *     @Operation public Recv<Integer> tryRecv() { return ch.tryRecv(); }
 *     @Operation public void close() { try { ch.close(); } catch (ChanClosedException e) { } }
 *
 *     @Test void modelChecking() { Lincheck.modelChecking().check(getClass()); }
 *     @Test void stress() { Lincheck.stress().check(getClass()); }
 * }
 * }
 * (The sequential specification is the class itself run on one thread unless
 * {@code .sequentialSpecification(Spec.class)} names another; results compare with
 * {@code equals}, so return records or values, not fresh objects without equality.)
 */
public final class Lincheck {
    private Lincheck() {
    }

    /** Model checking (lincheck's managed interleavings): 10 × 200 invocations × multiplier. */
    public static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                .iterations(Stress.scaled(10))
                .invocationsPerIteration(200);
    }

    /** Stress mode (real threads, random scenarios): 10 × 500 invocations × multiplier. */
    public static StressOptions stress() {
        return new StressOptions()
                .iterations(Stress.scaled(10))
                .invocationsPerIteration(500);
    }
}
