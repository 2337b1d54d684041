package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GoRuntimeSmokeTest {
    @Test
    void goroutinesRunAndMainWaits() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).name("smoke").build()) {
            AtomicInteger n = new AtomicInteger();
            rt.main(() -> {
                CountDownLatch done = new CountDownLatch(100);
                for (int i = 0; i < 100; i++) {
                    rt.go(() -> {
                        n.incrementAndGet();
                        done.countDown();
                    });
                }
                done.await();
            });
            assertEquals(100, n.get());
        }
    }

    @Test
    void mainRethrowsPanic() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(1).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> rt.main(() -> {
                        throw new IllegalStateException("boom");
                    }));
            assertEquals("boom", e.getMessage());
        }
    }

    @Test
    void misuseIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> GoRuntime.builder().maxProcs(0));
        assertThrows(NullPointerException.class, () -> Go.go(null));
        GoRuntime rt = GoRuntime.builder().build();
        rt.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.go(() -> { }));
        assertTrue(e.getMessage().contains("closed"));
    }
}
