package dev.goloom.time;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** 100,000 goroutines asleep at once, times the stress multiplier (10 under -Pstress: a million). */
@Tag("stress")
class SleepStressTest {
    @Test
    void aMillionSleepingGoroutines() throws InterruptedException {
        int n = 100_000 * Integer.getInteger("goloom.stress.multiplier", 1);   // -Pstress: x10 = 1M
        try (GoRuntime rt = GoRuntime.builder().build()) {
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                rt.go(() -> {
                    Time.sleep(Duration.ofMillis(500 + k % 1000));
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.MINUTES), "sleepers left: " + done.getCount());
        }
    }
}
