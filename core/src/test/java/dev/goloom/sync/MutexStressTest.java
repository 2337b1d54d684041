package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.MULTIPLIER;
import static dev.goloom.sync.SyncTesting.start;
import static dev.goloom.sync.SyncTesting.work;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mutex under heavy contention, with interrupts and starvation, at GOMAXPROCS 1, 2 and 4. */
@Tag("stress")
class MutexStressTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void hammerWithInterrupts(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("mutex-stress").build()) {
            Mutex mu = new Mutex();
            long[] counter = new long[1];
            AtomicInteger acquired = new AtomicInteger();
            int goroutines = 16;
            int iters = 20_000 * MULTIPLIER;
            List<SyncTesting.Handle> hs = new ArrayList<>();
            for (int g = 0; g < goroutines; g++) {
                hs.add(start(rt, () -> {
                    for (int i = 0; i < iters; i++) {
                        try {
                            mu.lock();
                        } catch (GoInterruptedException e) {
                            Thread.interrupted();
                            continue;
                        }
                        counter[0]++;
                        acquired.incrementAndGet();
                        if ((i & 63) == 0) {
                            work(20_000);   // now and then a long hold: waiters starve, mode flips
                        }
                        mu.unlock();
                    }
                }));
            }
            for (int r = 0; r < 2000 * MULTIPLIER; r++) {
                hs.get(ThreadLocalRandom.current().nextInt(goroutines)).thread().interrupt();
                Thread.yield();
            }
            hs.forEach(SyncTesting.Handle::join);
            mu.lock();
            assertEquals(acquired.get(), counter[0]);
            mu.unlock();
            mu.checkInvariants();
            assertEquals(0, mu.state());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void everyWaiterGetsThroughWhileOthersHammer(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("mutex-fair").build()) {
            Mutex mu = new Mutex();
            AtomicBoolean stop = new AtomicBoolean();
            List<SyncTesting.Handle> hammers = new ArrayList<>();
            for (int g = 0; g < 3; g++) {
                hammers.add(start(rt, () -> {
                    while (!stop.get()) {
                        mu.lock();
                        work(50_000);
                        mu.unlock();
                    }
                }));
            }
            List<SyncTesting.Handle> waiters = new ArrayList<>();
            for (int g = 0; g < 3; g++) {
                waiters.add(start(rt, () -> {
                    for (int i = 0; i < 20 * MULTIPLIER; i++) {
                        work(50_000);
                        mu.lock();
                        mu.unlock();
                    }
                }));
            }
            try {
                waiters.forEach(SyncTesting.Handle::join);
            } finally {
                stop.set(true);
                hammers.forEach(SyncTesting.Handle::join);
            }
            mu.checkInvariants();
        }
    }
}
