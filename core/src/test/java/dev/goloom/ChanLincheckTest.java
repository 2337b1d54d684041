package dev.goloom;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of the channel's non-blocking operations (trySend, tryRecv, close, len) for
 * capacities 0, 1 and 4, checked by lincheck in stress and model-checking modes against the
 * channel itself run sequentially. These are the operations that take the lock-free "would
 * block" fast paths, so this is where a mis-ordered probe would show. Blocking operations are
 * covered by the interleaving and stress tests (lincheck cannot drive parked threads).
 *
 * <p>Tagged "stress": lincheck loads a Java agent that re-instruments classes, and a run takes
 * about a minute, so it runs with the stress profile
 * ({@code ./goloom mvn -pl core test -Pstress -Dtest=ChanLincheckTest}).
 */
@Tag("stress")
class ChanLincheckTest {

    @Param(name = "v", gen = IntGen.class, conf = "1:4")
    public abstract static class Ops {
        private final Chan<Integer> c;

        Ops(int capacity) {
            c = Chan.make(capacity);
        }

        @Operation
        public Object trySend(@Param(name = "v") int v) {
            try {
                return c.trySend(v);
            } catch (ChanClosedException e) {
                return "closed";
            }
        }

        @Operation
        public Object tryRecv() {
            Recv<Integer> r = c.tryRecv();
            return r == null ? "empty" : r.ok() ? r.value() : "closed";
        }

        @Operation
        public Object close() {
            try {
                c.close();
                return "ok";
            } catch (ChanClosedException e) {
                return e.getMessage();
            }
        }

        @Operation
        public int len() {
            return c.len();
        }
    }

    public static final class Cap0 extends Ops {
        public Cap0() {
            super(0);
        }
    }

    public static final class Cap1 extends Ops {
        public Cap1() {
            super(1);
        }
    }

    public static final class Cap4 extends Ops {
        public Cap4() {
            super(4);
        }
    }

    /** Sized by -Dgoloom.stress.multiplier (about a minute at 1, a few at 10). */
    private static void check(Class<?> c) {
        int m = ChanTesting.multiplier();
        new StressOptions().iterations(8 + 2 * m).invocationsPerIteration(1_000).threads(3).actorsPerThread(3)
                .check(c);
        new ModelCheckingOptions().iterations(5 + m).invocationsPerIteration(200).threads(3).actorsPerThread(3)
                .check(c);
    }

    @Test
    void unbuffered() {
        check(Cap0.class);
    }

    @Test
    void capacity1() {
        check(Cap1.class);
    }

    @Test
    void capacity4() {
        check(Cap4.class);
    }
}
