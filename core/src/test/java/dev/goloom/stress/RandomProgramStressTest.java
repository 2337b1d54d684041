package dev.goloom.stress;

import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Seeds;
import dev.goloom.testing.Stress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8 "Stress and soak": randomised programs mixing goroutines, channels, select, timers,
 * mutexes and cancellation at GOMAXPROCS 1, 2, 4 and 8, each checked for conservation
 * ({@link RandomProgram}). A failure prints the seed; {@code -Dgoloom.seed=N} replays it.
 * {@snippet lang="shell" :
 * ./goloom test --stress -pl core -Dtest=RandomProgramStressTest
 * }
 */
@Tag("stress")
class RandomProgramStressTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    @ParameterizedTest(name = "maxProcs={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void randomPrograms(int procs) {
        SplittableRandom seeds = Seeds.random();
        var rt = t.runtime(procs);
        int programs = Stress.scaled(4);
        for (int i = 0; i < programs; i++) {
            long seed = seeds.nextLong() & Long.MAX_VALUE;
            RandomProgram.Size size = (i % 2 == 0 ? RandomProgram.Size.small() : RandomProgram.Size.medium());
            RandomProgram.generate(seed, size).run(rt);
        }
    }
}
