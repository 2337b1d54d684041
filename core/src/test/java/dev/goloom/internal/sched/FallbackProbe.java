package dev.goloom.internal.sched;

import dev.goloom.GoRuntime;
import java.util.concurrent.atomic.AtomicInteger;

/** Run in a child JVM without --add-opens by FallbackModeTest. */
public final class FallbackProbe {
    private FallbackProbe() {
    }

    public static void main(String[] args) {
        AtomicInteger n = new AtomicInteger();
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).build()) {
            rt.main(() -> {
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1000);
                for (int i = 0; i < 1000; i++) {
                    rt.go(() -> {
                        n.incrementAndGet();
                        done.countDown();
                    });
                }
                done.await();
            });
            System.out.println("ok " + n.get() + " procs=" + rt.schedStats().maxProcs()
                    + " threads=" + rt.schedStats().threads());
        }
    }
}
