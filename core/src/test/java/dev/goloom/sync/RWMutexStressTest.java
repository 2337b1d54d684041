package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.MULTIPLIER;
import static dev.goloom.sync.SyncTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's TestRWMutex (HammerRWMutex with many readers) and writer progress, at P = 1, 2, 4. */
@Tag("stress")
class RWMutexStressTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void hammer(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("rw-stress").build()) {
            RWMutex m = new RWMutex();
            AtomicInteger activity = new AtomicInteger();
            List<SyncTesting.Handle> hs = new ArrayList<>();
            int iters = 5_000 * MULTIPLIER;
            for (int i = 0; i < 20; i++) {
                boolean writer = i % 5 == 0;
                hs.add(start(rt, () -> {
                    for (int k = 0; k < iters; k++) {
                        if (writer) {
                            if (k % 3 == 0 ? !m.tryLock() : false) {
                                continue;
                            }
                            if (k % 3 != 0) {
                                m.lock();
                            }
                            int n = activity.addAndGet(10000);
                            if (n != 10000) {
                                fail("wlock(" + n + ")");
                            }
                            activity.addAndGet(-10000);
                            m.unlock();
                        } else {
                            m.rLock();
                            int n = activity.incrementAndGet();
                            if (n < 1 || n >= 10000) {
                                fail("rlock(" + n + ")");
                            }
                            activity.decrementAndGet();
                            m.rUnlock();
                        }
                    }
                }));
            }
            hs.forEach(SyncTesting.Handle::join);
            assertEquals(0, m.readerCount());
        }
    }

    /** Readers that overlap continuously never starve a writer. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void readersNeverStarveWriters(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("rw-writer").build()) {
            RWMutex m = new RWMutex();
            AtomicBoolean stop = new AtomicBoolean();
            List<SyncTesting.Handle> readers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                readers.add(start(rt, () -> {
                    while (!stop.get()) {
                        m.rLock();
                        SyncTesting.work(20_000);
                        m.rUnlock();
                        // the JDK's scheduler (fallback mode) never preempts: let the writer run
                        Thread.yield();
                    }
                }));
            }
            SyncTesting.Handle writer = start(rt, () -> {
                for (int i = 0; i < 50 * MULTIPLIER; i++) {
                    m.lock();
                    m.unlock();
                }
            });
            try {
                writer.join();
            } finally {
                stop.set(true);
                readers.forEach(SyncTesting.Handle::join);
            }
        }
    }
}
