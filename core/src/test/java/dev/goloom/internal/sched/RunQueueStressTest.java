package dev.goloom.internal.sched;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Long runs of the owner-and-thieves conservation check. */
@Tag("stress")
class RunQueueStressTest {
    @Test
    void manyThievesManyRounds() throws Exception {
        int mult = Integer.getInteger("goloom.stress.multiplier", 1);
        for (int thieves = 1; thieves <= 4; thieves++) {
            RunQueueTest.runOwnerAndThieves(1_000_000 * mult, thieves);
        }
    }
}
