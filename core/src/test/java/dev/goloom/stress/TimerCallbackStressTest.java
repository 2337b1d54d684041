package dev.goloom.stress;

import dev.goloom.GoRuntime;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Stress;
import dev.goloom.time.Time;
import dev.goloom.time.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Distilled from a RandomProgram hang (seed 1252830024637980947): many goroutines create timers
 * and afterFunc timers that fire almost at once and stop them, while the Ms run expired timers.
 * A timer callback run by an M must never block on a lock a goroutine can hold while parked:
 * at GOMAXPROCS=1 that M holds the only P, and the goroutine can never run to release it.
 * {@snippet lang="shell" :
 * ./goloom mvn -pl core test -Pstress -Dtest=TimerCallbackStressTest
 * }
 */
@Tag("stress")
class TimerCallbackStressTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    @ParameterizedTest(name = "maxProcs={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void createFireStopRace(int procs) {
        GoRuntime rt = t.runtime(procs);
        int goroutines = 16;
        int rounds = Stress.scaled(2_000);
        AtomicInteger ran = new AtomicInteger();
        rt.main(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < goroutines; g++) {
                wg.go(() -> {
                    WaitGroup fns = new WaitGroup();
                    for (int i = 0; i < rounds; i++) {
                        Duration d = Duration.ofNanos(i % 50 * 1_000);
                        fns.add(1);
                        Timer f = Time.afterFunc(d, () -> {
                            ran.incrementAndGet();
                            fns.done();
                        });
                        if (f.stop()) {
                            fns.done();
                        }
                        Time.newTimer(d).stop();
                    }
                    fns.await();
                });
            }
            wg.await();
        });
    }
}
