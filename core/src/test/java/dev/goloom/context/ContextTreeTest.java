package dev.goloom.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Go's ctxtree anchor: 100,000 contexts in a tree, each watched by a goroutine blocked on its
 * done(), all woken by one cancel of the root.
 */
class ContextTreeTest {
    static final int N = 100_000;
    static final int FANOUT = 10;

    @Test
    void oneCancelWakesAHundredThousandWatchers() throws InterruptedException {
        CancelContext root = Context.withCancel(Context.background());
        List<Context> all = new ArrayList<>(N);
        all.add(root);
        for (int i = 1; i < N; i++) {                     // node i's parent is node (i-1)/FANOUT
            Context parent = all.get((i - 1) / FANOUT);
            all.add(i % 7 == 0 ? Context.withTimeout(parent, java.time.Duration.ofHours(1))
                    : Context.withCancel(parent));
        }
        try (GoRuntime rt = GoRuntime.builder().build()) {
            CountDownLatch parked = new CountDownLatch(N);
            CountDownLatch woken = new CountDownLatch(N);
            AtomicInteger canceled = new AtomicInteger();
            for (Context c : all) {
                rt.go(() -> {
                    var done = c.done();
                    parked.countDown();
                    done.recv();
                    if (c.err() instanceof ContextCanceledException) {
                        canceled.incrementAndGet();
                    }
                    woken.countDown();
                });
            }
            assertTrue(parked.await(60, TimeUnit.SECONDS));
            assertEquals(N, woken.getCount(), "a watcher woke before the cancel");
            root.cancel();
            assertTrue(woken.await(60, TimeUnit.SECONDS), "watchers left: " + woken.getCount());
            assertEquals(N, canceled.get());
        }
        for (Context c : all) {
            assertSame(ContextCanceledException.CANCELED, c.err());
            assertEquals(0, ((CancelCtx) c).childCount());
        }
    }
}
