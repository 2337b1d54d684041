package dev.goloom.stress;

import dev.goloom.GoRuntime;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Seeds;
import dev.goloom.testing.Stress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8 "Stress and soak": randomised programs mixing goroutines, channels, select, timers,
 * mutexes, cancellation, x patterns and faults at GOMAXPROCS 1, 2, 4 and 8, each checked for
 * conservation ({@link RandomProgram}). Each program's own seed is printed before it runs, so a
 * hang names the program; a failure prints the test's seed ({@code -Dgoloom.seed=N} replays the
 * whole sequence) and the program's plan.
 * {@snippet lang="shell" :
 * ./goloom test --stress -pl core -Dtest=RandomProgramStressTest
 * # one program, again and again (GOMAXPROCS from -Dgoloom.procs, default 1):
 * ./goloom mvn -pl core test -Pstress -Dtest='RandomProgramStressTest#replay' -Dgoloom.program=SEED:medium -Dgoloom.procs=2
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
        GoRuntime rt = t.runtime(procs);
        int programs = Stress.scaled(4);
        for (int i = 0; i < programs; i++) {
            long seed = seeds.nextLong() & Long.MAX_VALUE;
            String kind = i % 2 == 0 ? "small" : "medium";
            System.out.println("RandomProgram " + (i + 1) + "/" + programs + " at maxProcs=" + procs
                    + ": -Dgoloom.program=" + seed + ":" + kind);
            RandomProgram.generate(seed, size(kind)).run(rt);
        }
    }

    /** Replays one program ({@code -Dgoloom.program=SEED[:small|medium]}) scaled(20) times. */
    @Test
    @EnabledIfSystemProperty(named = "goloom.program", matches = "\\d+(:(small|medium))?")
    void replay() {
        String[] spec = System.getProperty("goloom.program").split(":");
        long seed = Long.parseLong(spec[0]);
        RandomProgram p = RandomProgram.generate(seed, size(spec.length > 1 ? spec[1] : "small"));
        System.out.println(p);
        GoRuntime rt = t.runtime(Integer.getInteger("goloom.procs", 1));
        for (int i = 0; i < Stress.scaled(20); i++) {
            p.run(rt);
        }
    }

    private static RandomProgram.Size size(String kind) {
        return kind.equals("medium") ? RandomProgram.Size.medium() : RandomProgram.Size.small();
    }
}
