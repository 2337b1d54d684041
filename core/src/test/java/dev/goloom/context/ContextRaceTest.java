package dev.goloom.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The children list under concurrency: goroutines on two Ps add children to one parent and
 * cancel them in random order (taking each out of the middle of the list) while others do the
 * same, and while the parent itself is cancelled. Checks the list's shape (CancelCtx
 * checkInvariants), its count, and that every context's cancellation ran exactly once (an
 * afterFunc per context). Sized by -Dgoloom.stress.multiplier.
 */
class ContextRaceTest {
    private static final int M = Integer.getInteger("goloom.stress.multiplier", 1);
    private static final int WORKERS = 4;

    @Test
    void childrenComeAndGoFromManyGoroutines() throws InterruptedException {
        CancelContext parent = Context.withCancel(Context.background());
        CancelCtx p = (CancelCtx) parent;
        int rounds = 20_000 * M;
        AtomicInteger kept = new AtomicInteger();
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            CountDownLatch done = new CountDownLatch(WORKERS);
            for (int w = 0; w < WORKERS; w++) {
                long seed = w;
                rt.go(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    List<CancelContext> mine = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        mine.add(Context.withCancel(parent));
                        if (mine.size() > 8 || rnd.nextInt(3) == 0) {
                            mine.remove(rnd.nextInt(mine.size())).cancel();
                        }
                    }
                    kept.addAndGet(mine.size());
                    done.countDown();
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
        }
        p.checkInvariants();
        assertEquals(kept.get(), p.childCount());
        parent.cancel();
        assertEquals(0, p.childCount());
    }

    @Test
    void parentCancelRacesChildrenCancellingAndJoining() throws InterruptedException {
        int trees = 200 * M;
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            for (int t = 0; t < trees; t++) {
                CancelContext root = Context.withCancel(Context.background());
                List<Context> nodes = new ArrayList<>();
                nodes.add(root);
                for (int i = 1; i < 64; i++) {           // fan-out 4, three levels and some
                    nodes.add(Context.withCancel(nodes.get((i - 1) / 4)));
                }
                // a late joiner per worker, created while the tree is being cancelled
                int total = nodes.size() + WORKERS;
                AtomicIntegerArray ran = new AtomicIntegerArray(total);
                CountDownLatch calls = new CountDownLatch(total);
                for (int i = 0; i < nodes.size(); i++) {
                    int k = i;
                    Context.afterFunc(nodes.get(i), () -> {
                        ran.incrementAndGet(k);
                        calls.countDown();
                    });
                }
                List<Context> late = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    late.add(null);
                }
                CountDownLatch go = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(WORKERS + 1);
                for (int w = 0; w < WORKERS; w++) {
                    int ww = w;
                    long seed = t * 31L + w;
                    rt.go(() -> {
                        SplittableRandom rnd = new SplittableRandom(seed);
                        go.await();
                        for (int j = 0; j < 4; j++) {
                            ((CancelContext) nodes.get(1 + rnd.nextInt(nodes.size() - 1))).cancel();
                        }
                        Context c = Context.withCancel(nodes.get(rnd.nextInt(nodes.size())));
                        int k = nodes.size() + ww;
                        Context.afterFunc(c, () -> {
                            ran.incrementAndGet(k);
                            calls.countDown();
                        });
                        synchronized (late) {
                            late.set(ww, c);
                        }
                        done.countDown();
                    });
                }
                rt.go(() -> {
                    go.await();
                    root.cancel();
                    done.countDown();
                });
                go.countDown();
                assertTrue(done.await(30, TimeUnit.SECONDS));
                List<Context> all = new ArrayList<>(nodes);
                synchronized (late) {
                    all.addAll(late);
                }
                for (Context c : all) {
                    assertSame(ContextCanceledException.CANCELED, c.err());
                    assertEquals(0, ((CancelCtx) c).childCount());
                    ((CancelCtx) c).checkInvariants();
                }
                assertTrue(calls.await(30, TimeUnit.SECONDS), "afterFuncs not run: " + calls.getCount());
                for (int i = 0; i < total; i++) {
                    assertEquals(1, ran.get(i), "context " + i + "'s cancellation ran " + ran.get(i) + " times");
                }
            }
        }
    }
}
