package dev.goloom.sync;

import static dev.goloom.sync.SyncTesting.MULTIPLIER;
import static dev.goloom.sync.SyncTesting.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.GoInterruptedException;
import dev.goloom.GoRuntime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bounded queue on two Conds (producers and consumers), with interrupts, at P = 1, 2, 4. */
@Tag("stress")
class CondStressTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void boundedQueue(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("cond-stress").build()) {
            Mutex m = new Mutex();
            Cond notEmpty = new Cond(m);
            Cond notFull = new Cond(m);
            ArrayDeque<Integer> q = new ArrayDeque<>();
            int cap = 4;
            int producers = 4;
            int perProducer = 5_000 * MULTIPLIER;
            AtomicLong sum = new AtomicLong();
            List<SyncTesting.Handle> hs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                hs.add(start(rt, () -> {
                    for (int i = 1; i <= perProducer; i++) {
                        lock(m);
                        try {
                            while (q.size() == cap) {
                                try {
                                    notFull.await();
                                } catch (GoInterruptedException e) {
                                    Thread.interrupted();   // keep going: the lock is held again
                                }
                            }
                            q.add(i);
                            notEmpty.signal();
                        } finally {
                            m.unlock();
                        }
                    }
                }));
            }
            List<SyncTesting.Handle> cs = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                cs.add(start(rt, () -> {
                    for (;;) {
                        lock(m);
                        try {
                            while (q.isEmpty()) {
                                try {
                                    notEmpty.await();
                                } catch (GoInterruptedException e) {
                                    Thread.interrupted();
                                }
                            }
                            int v = q.poll();
                            notFull.signal();
                            if (v < 0) {
                                return;
                            }
                            sum.addAndGet(v);
                        } finally {
                            m.unlock();
                        }
                    }
                }));
            }
            for (int r = 0; r < 500; r++) {
                hs.get(r % producers).thread().interrupt();
                cs.get(r % 3).thread().interrupt();
                Thread.yield();
            }
            hs.forEach(SyncTesting.Handle::join);
            for (int c = 0; c < 3; c++) {
                m.lock();
                while (q.size() == cap) {
                    notFull.await();
                }
                q.add(-1);
                notEmpty.broadcast();
                m.unlock();
            }
            cs.forEach(SyncTesting.Handle::join);
            assertEquals((long) producers * perProducer * (perProducer + 1) / 2, sum.get());
        }
    }

    /** lock() that shrugs off this test's own interrupts. */
    private static void lock(Mutex m) {
        for (;;) {
            try {
                m.lock();
                return;
            } catch (GoInterruptedException e) {
                Thread.interrupted();
            }
        }
    }
}
