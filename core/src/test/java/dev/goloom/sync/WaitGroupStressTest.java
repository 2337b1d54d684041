package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.MULTIPLIER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.GoRuntime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fan-out of many goroutines through wg.go, reused round after round, at P = 1, 2, 4. */
@Tag("stress")
class WaitGroupStressTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void fanOutRounds(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("wg-stress").build()) {
            AtomicInteger ran = new AtomicInteger();
            int rounds = 20;
            int perRound = 5_000 * MULTIPLIER;
            rt.main(() -> {
                WaitGroup wg = new WaitGroup();
                WaitGroup inner = new WaitGroup();
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < perRound; i++) {
                        wg.go(ran::incrementAndGet);
                    }
                    // several waiters at once, released together
                    inner.add(4);
                    for (int w = 0; w < 4; w++) {
                        rt.go(() -> {
                            wg.await();
                            inner.done();
                        });
                    }
                    wg.await();
                    inner.await();
                }
            });
            assertEquals(rounds * perRound, ran.get());
        }
    }
}
