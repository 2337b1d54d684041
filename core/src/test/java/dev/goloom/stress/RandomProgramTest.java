package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The generator itself, in the default suite: plans replay from their seed, a small program conserves. */
class RandomProgramTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    @Test
    void sameSeedSamePlan() {
        long seed = Seeds.seed();
        assertEquals(RandomProgram.generate(seed, RandomProgram.Size.small()).toString(),
                RandomProgram.generate(seed, RandomProgram.Size.small()).toString());
    }

    @Test
    void smallProgramConserves() {
        GoRuntime rt = t.runtime(2);
        for (int i = 0; i < 3; i++) {
            RandomProgram p = RandomProgram.generate(Seeds.seed() + i, RandomProgram.Size.small());
            RandomProgram.Report r = p.run(rt);
            assertTrue(r.received() == r.sent(), r.toString());
        }
    }
}
