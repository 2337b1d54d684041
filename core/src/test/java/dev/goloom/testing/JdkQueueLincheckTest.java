package dev.goloom.testing;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * The lincheck set-up itself, on a JDK structure: proves lincheck runs on this JDK with the
 * surefire flags in the parent pom (docs/TESTING.md). A template for the goloom
 * {@code *LincheckTest} classes: public class, public operations, {@link Lincheck} options.
 */
public class JdkQueueLincheckTest {
    private final ConcurrentLinkedQueue<Integer> q = new ConcurrentLinkedQueue<>();

    @Operation
    public boolean offer(int x) {
        return q.offer(x);
    }

    @Operation
    public Integer poll() {
        return q.poll();
    }

    @Operation
    public Integer peek() {
        return q.peek();
    }

    @Test
    void modelChecking() {
        Lincheck.modelChecking().iterations(Stress.scaled(3)).check(getClass());
    }

    @Test
    void stress() {
        Lincheck.stress().iterations(Stress.scaled(3)).check(getClass());
    }
}
