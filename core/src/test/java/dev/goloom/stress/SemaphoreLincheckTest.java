package dev.goloom.stress;

import static dev.goloom.testing.LinearizabilityChecker.BLOCKS;

import dev.goloom.context.Context;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Lincheck;
import dev.goloom.testing.LinearizabilityChecker;
import dev.goloom.testing.Stress;
import dev.goloom.x.Semaphore;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The weighted {@link Semaphore} is linearizable against the sequential specification "{@code cur}
 * of {@code size} units in use": lincheck (model checking and stress) over {@code tryAcquire(n)}
 * and {@code release(n)} with weights 0..3 on a semaphore of size 3 (a release of more than is
 * held answers {@code "over"} and changes nothing); {@link LinearizabilityChecker} from plain
 * threads with the blocking {@code acquire(ctx, 1)} too (an acquire pending while a unit is free
 * is a lost wake-up; one that returns while none is free cannot be linearized). Weight 1 for the
 * blocking check: with mixed weights the FIFO rule holds back a waiter that would fit, which a
 * one-operation-at-a-time model cannot express (SemaphoreTest covers FIFO).
 */
class SemaphoreLincheckTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    static final int SIZE = 3;

    /** The sequential specification. */
    public static final class Spec {
        private long cur;

        public boolean tryAcquire(int n) {
            if (SIZE - cur < n) {
                return false;
            }
            cur += n;
            return true;
        }

        public String release(int n) {
            if (n > cur) {
                return "over";
            }
            cur -= n;
            return "ok";
        }

        public long inUse() {
            return cur;
        }
    }

    @Param(name = "n", gen = IntGen.class, conf = "0:3")
    public static final class Ops {
        private final Semaphore sem = new Semaphore(SIZE);

        @Operation
        public boolean tryAcquire(@Param(name = "n") int n) {
            return sem.tryAcquire(n);
        }

        @Operation
        public String release(@Param(name = "n") int n) {
            try {
                sem.release(n);
                return "ok";
            } catch (IllegalStateException e) {
                return "over";
            }
        }

        @Operation
        public long inUse() {
            return sem.inUse();
        }
    }

    @Test
    void modelChecking() {
        // half the default iterations: the semaphore's ReentrantLock is costly under lincheck
        Lincheck.modelChecking().iterations(Stress.scaled(5)).threads(3).actorsPerThread(3).sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    @Test
    void stress() {
        Lincheck.stress().iterations(Stress.scaled(5)).threads(3).actorsPerThread(3).sequentialSpecification(Spec.class)
                .check(Ops.class);
    }

    /** The blocking check's model: units in use. */
    record Model(long[] cur) {
        Model() {
            this(new long[1]);
        }

        Model copy() {
            return new Model(cur.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && m.cur[0] == cur[0];
        }

        @Override
        public int hashCode() {
            return Long.hashCode(cur[0]);
        }
    }

    @Test
    void blockingAcquire() {
        LinearizabilityChecker.of(() -> new Semaphore(2), Model::new, Model::copy)
                .quiet(Duration.ofMillis(30))
                .op("acquire", r -> null, (s, x) -> {
                    s.acquire(Context.background(), 1);
                    return null;
                }, (m, x) -> {
                    if (m.cur[0] == 2) {
                        return BLOCKS;
                    }
                    m.cur[0]++;
                    return null;
                })
                .op("tryAcquire", r -> null, (s, x) -> s.tryAcquire(1), (m, x) -> {
                    if (m.cur[0] == 2) {
                        return false;
                    }
                    m.cur[0]++;
                    return true;
                })
                .op("release", r -> null, (s, x) -> {
                    try {
                        s.release(1);
                        return "ok";
                    } catch (IllegalStateException e) {
                        return "over";
                    }
                }, (m, x) -> {
                    if (m.cur[0] == 0) {
                        return "over";
                    }
                    m.cur[0]--;
                    return "ok";
                })
                .check(3, 4, 60);
    }
}
