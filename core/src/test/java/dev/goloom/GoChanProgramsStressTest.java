package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.PowerSeries.Dch;
import dev.goloom.PowerSeries.Rat;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Stress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Go ports at Go's full sizes and beyond, at GOMAXPROCS 1, 2, 4 and 8, sized by
 * -Dgoloom.stress.multiplier: TestChan for capacities 0..199, TestSelectStress with N = 1e5,
 * TestMultiConsumer, the channel barrier tests, every three-case select of the systematic
 * generator, power series and sieve2 repeated.
 */
@Tag("stress")
class GoChanProgramsStressTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void testChanAllCapacities(int procs) {
        GoRuntime rt = t.runtime(procs);
        for (int round = 0; round < Stress.MULTIPLIER; round++) {
            for (int chanCap = 0; chanCap < 200; chanCap++) {
                GoRuntimeChanTest.testChan(rt, chanCap);
            }
        }
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void selectStress(int procs) {
        GoRuntimeChanTest.selectStress(t.runtime(procs), Stress.scaled(100_000));
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void multiConsumer(int procs) {
        GoRuntimeChanTest.multiConsumer(t.runtime(procs), Stress.scaled(271_828));
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void chanSendBarriers(int procs) {
        GoRuntime rt = t.runtime(procs);
        GoRuntimeChanTest.chanSendBarrier(rt, false, 100, Stress.scaled(1_000));
        GoRuntimeChanTest.chanSendBarrier(rt, true, 100, Stress.scaled(1_000));
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void everyThreeCaseSelect(int procs) {
        GoRuntime rt = t.runtime(procs);
        SelectGeneratedTest gen = new SelectGeneratedTest();
        for (int round = 0; round < Stress.MULTIPLIER; round++) {
            gen.everyThreeCaseSelect(rt);
            SelectGeneratedTest.everyOneAndTwoCaseSelect(rt, gen);
        }
        System.out.println("GOMAXPROCS=" + procs + ": " + gen.describeOutcomes());
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @MethodSource("dev.goloom.testing.Stress#procs")
    void powserRepeated(int procs) {
        for (int round = 0; round < 5 * Stress.MULTIPLIER; round++) {
            GoRuntime rt = t.runtime(procs);
            Halt halt = new Halt(rt);
            rt.main(() -> {
                try {
                    PowerSeries ps = new PowerSeries(halt);
                    Dch ones = ps.Rep(PowerSeries.ONE);
                    List<Rat> want = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        want.add(Rat.of(i + 1));
                    }
                    assertEquals(want, ps.take(ps.Mul(ones, ones), 20), "Mul");
                    Dch atan = ps.Integ(PowerSeries.ZERO, ps.MonSubst(ones, PowerSeries.neg(PowerSeries.ONE), 2));
                    assertEquals(List.of(Rat.of(0), Rat.of(1), Rat.of(0), Rat.of(1, 3), Rat.of(0), Rat.of(2, 15),
                            Rat.of(0), Rat.of(17, 315), Rat.of(0), Rat.of(62, 2835)), ps.take(ps.revert(atan), 10), "Tan");
                } finally {
                    halt.stop();
                }
            });
            assertEquals(true, GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> rt.numGoroutine() == 0),
                    "power series goroutines did not end");
        }
    }
}
