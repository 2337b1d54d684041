package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Seeds;
import dev.goloom.testing.Stress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8 "Faults": GOMAXPROCS changed under load. Pairs of goroutines ping-pong on unbuffered
 * channels (every hand-off readies a goroutine into some P's runnext or run queue) while the
 * main goroutine and a resizer change GOMAXPROCS between 1 and 8 as fast as they can. A P that
 * goes away must hand its queued goroutines on: no goroutine may be lost (every pair finishes,
 * every value arrives).
 * {@snippet lang="shell" :
 * ./goloom mvn -pl core test -Pstress -Dtest=MaxProcsResizeStressTest
 * }
 */
@Tag("stress")
class MaxProcsResizeStressTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void pingPongWhileResizing() {
        GoRuntime rt = t.runtime(4);
        int pairs = 16;
        int rounds = Stress.scaled(5_000);
        AtomicLong sum = new AtomicLong();
        SplittableRandom r = Seeds.random();
        rt.main(() -> {
            WaitGroup players = new WaitGroup();
            Chan<Void> stop = Chan.make();
            WaitGroup resizer = new WaitGroup();
            SplittableRandom mine = r.split();
            resizer.go(() -> {
                while (stop.tryRecv() == null) {
                    rt.maxProcs(1 + mine.nextInt(8));
                    dev.goloom.Go.gosched();
                }
            });
            for (int p = 0; p < pairs; p++) {
                Chan<Integer> ping = Chan.make();
                Chan<Integer> pong = Chan.make();
                players.go(() -> {
                    for (int i = 0; i < rounds; i++) {
                        ping.send(i);
                        sum.addAndGet(pong.recv());
                    }
                });
                players.go(() -> {
                    for (int i = 0; i < rounds; i++) {
                        pong.send(ping.recv());
                    }
                });
            }
            for (int i = 0; i < 1000; i++) {
                rt.maxProcs(1 + r.nextInt(8)); // main resizes too
                dev.goloom.Go.gosched();
            }
            players.await();
            stop.close();
            resizer.await();
            rt.maxProcs(4);
        });
        assertEquals((long) pairs * rounds * (rounds - 1) / 2, sum.get());
    }
}
