package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.GoRuntime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Dumping goroutines that are runnable (queued after a yield or a wake-up) must not disturb the
 * scheduler. {@code Thread.getStackTrace()} of an unmounted virtual thread in state YIELDED or
 * UNPARKED suspends it, walks its stack and then <em>resubmits</em> its continuation
 * ({@code VirtualThread.tryGetStackTrace}: "resubmit as task may have run while suspended"), so
 * the g's {@code execute} is called while the g is already in a run queue. The GMP scheduler
 * must drop the duplicate ({@code G.queued}); linking the g a second time broke the global run
 * queue ({@code NullPointerException} in {@code GlobalRunQueue.get}, every M died).
 */
class DumpWhileRunnableTest {
    @Test
    void dumpsDuringYieldsLeaveTheSchedulerIntact() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("dump-yield").maxProcs(2).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(3);
            for (int k = 0; k < 3; k++) {
                rt.go(() -> {
                    while (!stop.get()) {
                        Thread.yield();
                    }
                    done.countDown();
                });
            }
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                rt.goroutines();
            }
            stop.set(true);
            done.await();
            CountDownLatch after = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                rt.go(after::countDown);
            }
            after.await();
            assertEquals(0, after.getCount());
        }
    }
}
