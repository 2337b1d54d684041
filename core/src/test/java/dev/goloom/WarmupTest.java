package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmupTest {
    /** The warm-up exercises every primitive once and closes its runtime: nothing is left. */
    @Test
    void warmupRunsToTheEndAndLeavesNothing() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), Warmup::run);
    }
}
