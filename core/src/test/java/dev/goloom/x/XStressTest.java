package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.RecvChan;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.sync.WaitGroup;
import dev.goloom.testing.Stress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Semaphore with cancellations, ErrGroup limits and pipeline cancellation, at P = 1, 2, 4. */
@Tag("stress")
class XStressTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void semaphoreWithRandomCancellations(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("x-stress").build()) {
            rt.main(() -> {
                long size = 10;
                Semaphore sem = new Semaphore(size);
                AtomicLong inUse = new AtomicLong();
                AtomicInteger cancelled = new AtomicInteger();
                WaitGroup wg = new WaitGroup();
                for (int g = 0; g < 16; g++) {
                    wg.go(() -> {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        for (int i = 0; i < Stress.scaled(500); i++) {
                            long n = 1 + rnd.nextInt((int) size);
                            try (CancelContext ctx = Context.withTimeout(Context.background(),
                                    Duration.ofNanos(rnd.nextInt(200_000)))) {
                                sem.acquire(ctx, n);
                            } catch (RuntimeException e) {
                                cancelled.incrementAndGet();
                                continue;
                            }
                            assertTrue(inUse.addAndGet(n) <= size);
                            inUse.addAndGet(-n);
                            sem.release(n);
                        }
                    });
                }
                wg.await();
                sem.checkInvariants();
                assertEquals(0, sem.inUse());
                assertEquals(0, sem.waiting());
            });
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void errGroupLimitHolds(int procs) {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("x-stress").build()) {
            rt.main(() -> {
                for (int round = 0; round < Stress.scaled(20); round++) {
                    ErrGroup g = ErrGroup.withContext(Context.background());
                    int limit = 1 + round % 5;
                    g.setLimit(limit);
                    AtomicInteger active = new AtomicInteger();
                    AtomicInteger max = new AtomicInteger();
                    for (int i = 0; i < 200; i++) {
                        g.go(() -> {
                            max.accumulateAndGet(active.incrementAndGet(), Math::max);
                            dev.goloom.Go.gosched();
                            active.decrementAndGet();
                        });
                    }
                    g.await();
                    assertTrue(max.get() <= limit, max.get() + " > " + limit);
                }
            });
        }
    }

    @Test
    void pipelinesCancelledAtRandomPointsLeakNothing() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).name("x-stress").build()) {
            rt.main(() -> {
                int baseline = rt.numGoroutine();
                for (int round = 0; round < Stress.scaled(50); round++) {
                    CancelContext ctx = Context.withCancel(Context.background());
                    RecvChan<Integer> src = Pipelines.generate(ctx, IntStream.range(0, 1000).boxed().toList());
                    RecvChan<Integer> out = Pipelines.filter(ctx,
                            Pipelines.fanOut(ctx, Pipelines.merge(ctx, src, Pipelines.generate(ctx, java.util.List.of(1, 2))),
                                    3, n -> n * 3), n -> n % 2 == 0);
                    int stopAt = ThreadLocalRandom.current().nextInt(50);
                    int k = 0;
                    for (int v : out) {
                        if (k++ == stopAt) {
                            break;
                        }
                    }
                    ctx.cancel();
                }
                XTesting.awaitGoroutines(rt, baseline);
            });
        }
    }
}
