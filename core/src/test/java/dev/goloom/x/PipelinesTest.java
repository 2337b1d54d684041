package dev.goloom.x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.RecvChan;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stages of go.dev/blog/pipelines: results, closing, and no goroutine left behind. */
class PipelinesTest {
    static GoRuntime rt;

    @BeforeAll
    static void start() {
        rt = GoRuntime.builder().name("pipelines-test").maxProcs(2).build();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    static void awaitGoroutines(int baseline) {
        XTesting.awaitGoroutines(rt, baseline);
    }

    @Test
    void genSquare() {
        rt.main(() -> {
            Context ctx = Context.background();
            List<Integer> got = new ArrayList<>();
            for (int sq : Pipelines.map(ctx, Pipelines.generate(ctx, List.of(2, 3, 4)), n -> n * n)) {
                got.add(sq);
            }
            assertEquals(List.of(4, 9, 16), got);
        });
    }

    @Test
    void filterKeepsOrder() {
        rt.main(() -> {
            Context ctx = Context.background();
            RecvChan<Integer> even = Pipelines.filter(ctx, Pipelines.generate(ctx, range(0, 20)), n -> n % 2 == 0);
            assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), even.stream().toList());
        });
    }

    @Test
    void mergeFansIn() {
        rt.main(() -> {
            Context ctx = Context.background();
            RecvChan<Integer> a = Pipelines.generate(ctx, range(0, 50));
            RecvChan<Integer> b = Pipelines.generate(ctx, range(50, 100));
            List<Integer> got = new ArrayList<>(Pipelines.merge(ctx, a, b).stream().toList());
            got.sort(null);
            assertEquals(range(0, 100), got);
            assertEquals(List.of(), Pipelines.<Integer>merge(ctx).stream().toList(), "no inputs: closed at once");
        });
    }

    @Test
    void fanOutUsesAllWorkersUnordered() {
        rt.main(() -> {
            Context ctx = Context.background();
            int base = rt.numGoroutine();
            RecvChan<Integer> out = Pipelines.fanOut(ctx, Pipelines.generate(ctx, range(0, 200)), 4, n -> n * 2);
            assertTrue(rt.numGoroutine() >= base + 5, "a generator and 4 workers");
            List<Integer> got = new ArrayList<>(out.stream().toList());
            got.sort(null);
            assertEquals(range(0, 200).stream().map(n -> n * 2).toList(), got);
            awaitGoroutines(base);
            assertThrows(IllegalArgumentException.class, () -> Pipelines.fanOut(ctx, out, 0, n -> n));
        });
    }

    @Test
    void cancellationMidwayLeaksNoGoroutine() {
        rt.main(() -> {
            int baseline = rt.numGoroutine();
            CancelContext ctx = Context.withCancel(Context.background());
            RecvChan<Integer> src1 = Pipelines.generate(ctx, range(0, 10_000));
            RecvChan<Integer> src2 = Pipelines.generate(ctx, range(0, 10_000));
            RecvChan<Integer> sq = Pipelines.fanOut(ctx, Pipelines.merge(ctx, src1, src2), 3, n -> n * n);
            RecvChan<Integer> odd = Pipelines.filter(ctx, Pipelines.map(ctx, sq, n -> n + 1), n -> n % 2 == 1);
            int taken = 0;
            for (int v : odd) {                     // read a few, then stop reading and cancel
                assertEquals(1, v % 2);
                if (++taken == 10) {
                    break;
                }
            }
            assertTrue(rt.numGoroutine() > baseline, "stages are blocked on sends");
            ctx.cancel();
            awaitGoroutines(baseline);
            // every output is closed (drains to the end)
            odd.stream().count();
            sq.stream().count();
        });
    }

    @Test
    void cancellationBeforeStartClosesEverything() {
        rt.main(() -> {
            int baseline = rt.numGoroutine();
            CancelContext ctx = Context.withCancel(Context.background());
            ctx.cancel();
            RecvChan<Integer> out = Pipelines.map(ctx, Pipelines.generate(ctx, range(0, 100)), n -> n);
            assertTrue(out.stream().count() <= 100);
            awaitGoroutines(baseline);
        });
    }

    @Test
    void throwingStageStillClosesItsOutput() {
        // From a plain thread (stages on the global runtime): under main(...) the stage's panic
        // would end main, as in Go; here it is printed and the stage's output is closed.
        CancelContext ctx = Context.withCancel(Context.background());
        RecvChan<Integer> in = Pipelines.generate(ctx, range(0, 10));
        RecvChan<Integer> out = Pipelines.map(ctx, in, n -> {
            if (n == 3) {
                throw new IllegalStateException("stage failure (expected by the test)");
            }
            return n;
        });
        assertEquals(List.of(0, 1, 2), out.stream().toList());
        ctx.cancel();                               // the generator, blocked sending 4, ends
        assertTrue(in.stream().count() <= 6, "the generator closes its output after the cancel");
    }
}
