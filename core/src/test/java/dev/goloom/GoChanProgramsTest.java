package dev.goloom;

import static dev.goloom.PowerSeries.ONE;
import static dev.goloom.PowerSeries.ZERO;
import static dev.goloom.PowerSeries.neg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.PowerSeries.Dch;
import dev.goloom.PowerSeries.Rat;
import dev.goloom.testing.GoTestSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ports of Go's test/chan programs that had none: powser1 (power series), sendstmt, select,
 * select4, select8, goroutines, sieve2, perm, and the parts of nonblock and
 * src/runtime/chan_test.go that the unit tests did not cover. docs/TESTING.md maps every Go
 * test to its goloom test.
 */
@Timeout(120)
class GoChanProgramsTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    private static final int N = 10;

    // --------------------------------------------------------------- powser1.go

    /** Runs a power-series program as main on a fresh runtime, then stops its generators. */
    private void powser(int procs, Consumer<PowerSeries> body) {
        GoRuntime rt = t.runtime(procs);
        Halt halt = new Halt(rt);
        rt.main(() -> {
            try {
                body.accept(new PowerSeries(halt));
            } finally {
                halt.stop();
            }
        });
    }

    private static List<Rat> seq(int n, IntFunction<Rat> f) {
        List<Rat> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(f.apply(i));
        }
        return r;
    }

    private static List<Rat> rats(long... numDen) {
        List<Rat> r = new ArrayList<>();
        for (int i = 0; i < numDen.length; i += 2) {
            r.add(Rat.of(numDen[i], numDen[i + 1]));
        }
        return r;
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @ValueSource(ints = {1, 2})
    void powser1(int procs) {
        // Go's checks, in Go's order, each on its own generators (Ones and Twos are shared).
        powser(procs, ps -> {
            Dch ones = ps.Rep(ONE);
            Dch twos = ps.Rep(Rat.of(2));
            assertEquals(Collections.nCopies(5, ONE), ps.take(ones, 5), "Ones");
            assertEquals(Collections.nCopies(N, Rat.of(2)), ps.take(ps.Add(ones, ones), N), "Add Ones Ones");
            assertEquals(Collections.nCopies(N, Rat.of(3)), ps.take(ps.Add(ones, twos), N), "Add Ones Twos");
            assertEquals(seq(N, i -> Rat.of(i + 1)), ps.take(ps.Diff(ones), N), "Diff");
            assertEquals(seq(N, i -> i == 0 ? ZERO : Rat.of(1, i)), ps.take(ps.Integ(ZERO, ones), N), "Integ");
            assertEquals(Collections.nCopies(N, Rat.of(-2)), ps.take(ps.Cmul(neg(ONE), twos), N), "CMul");
            assertEquals(Collections.nCopies(N, Rat.of(-1)), ps.take(ps.Sub(ones, twos), N), "Sub Ones Twos");
            assertEquals(seq(N, i -> Rat.of(i + 1)), ps.take(ps.Mul(ones, ones), N), "Mul");
            assertEquals(rats(1, 1, 1, 1, 3, 2, 13, 6, 73, 24, 167, 40, 4051, 720, 37633, 5040, 43817, 4480,
                    4596553, 362880), ps.take(ps.Exp(ones), N), "Exp");
            // atan x = integral of 1/(1+x^2) = x - x^3/3 + x^5/5 - ...
            List<Rat> atan = seq(N, i -> i % 2 == 0 ? ZERO : Rat.of((i / 2) % 2 == 0 ? 1 : -1, i));
            Dch at = ps.Integ(ZERO, ps.MonSubst(ones, neg(ONE), 2));
            assertEquals(atan, ps.take(at, N), "ATan");
        });
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @ValueSource(ints = {1, 2})
    void powserReversionSubstitutionAndReciprocal(int procs) {
        powser(procs, ps -> {
            // powser1's commented-out check: tan = reversion of atan: 0 1 0 1/3 0 2/15 0 17/315 0 62/2835
            Dch atan = ps.Integ(ZERO, ps.MonSubst(ps.Rep(ONE), neg(ONE), 2));
            assertEquals(rats(0, 1, 1, 1, 0, 1, 1, 3, 0, 1, 2, 15, 0, 1, 17, 315, 0, 1, 62, 2835),
                    ps.take(ps.revert(atan), N), "Tan");
            // reverting twice gives the series back: x/(1-x) <-> x/(1+x)
            Dch xOverOneMinusX = ps.Xmul(ps.Rep(ONE));
            assertEquals(seq(N, i -> i == 0 ? ZERO : Rat.of(i % 2 == 1 ? 1 : -1)),
                    ps.take(ps.revert(xOverOneMinusX), N), "Revert x/(1-x)");
            assertEquals(seq(N, i -> i == 0 ? ZERO : ONE),
                    ps.take(ps.revert(ps.revert(ps.Xmul(ps.Rep(ONE)))), N), "Revert Revert");
            // 1/(1-x) composed with x/(1-x) = (1-x)/(1-2x) = 1 1 2 4 8 ...
            assertEquals(seq(N, i -> i == 0 ? ONE : Rat.of(1L << (i - 1))),
                    ps.take(ps.Subst(ps.Rep(ONE), ps.Xmul(ps.Rep(ONE))), N), "Subst");
            // 1/(1/(1-x)) = 1 - x; U * (1/U) = 1
            assertEquals(seq(N, i -> i == 0 ? ONE : i == 1 ? Rat.of(-1) : ZERO),
                    ps.take(ps.Recip(ps.Rep(ONE)), N), "Recip Ones");
            Dch[] e = ps.Split(ps.Exp(ps.Rep(ONE)));
            assertEquals(seq(N, i -> i == 0 ? ONE : ZERO), ps.take(ps.Mul(e[0], ps.Recip(e[1])), N), "U/U");
            // (1+x)^(1/2) squared = 1 + x; (1+x)^3 is finite: 1 3 3 1
            Dch[] sq = ps.Split(ps.Binom(Rat.of(1, 2)));
            assertEquals(seq(N, i -> i <= 1 ? ONE : ZERO), ps.take(ps.Mul(sq[0], sq[1]), N), "Binom 1/2 squared");
            assertEquals(rats(1, 1, 3, 1, 3, 1, 1, 1), ps.take(ps.Binom(Rat.of(3)), N), "Binom 3");
            // derivative of the integral; monomials; shift
            assertEquals(seq(N, i -> Rat.of(i + 1)), ps.take(ps.Diff(ps.Integ(Rat.of(7), ps.Diff(ps.Rep(ONE)))), N),
                    "Diff Integ");
            assertEquals(rats(0, 1, 0, 1, 0, 1, 5, 2), ps.take(ps.Mon(Rat.of(5, 2), 3), N), "Mon");
            assertEquals(List.of(), ps.take(ps.Mon(ZERO, 3), N), "Mon zero");
            assertEquals(rats(9, 1, 1, 1, 1, 1), ps.take(ps.Shift(Rat.of(9), ps.Rep(ONE)), 3), "Shift");
            assertEquals(rats(2, 1, 2, 1, 1, 1), ps.take(ps.Add(ps.Mon(ONE, 0), ps.Binom(Rat.of(2))), N),
                    "Add finite");
            // eval: sum of (1/2)^i for i < 10 = 1023/512
            assertEquals(Rat.of(1023, 512), ps.eval(Rat.of(1, 2), ps.Rep(ONE), N), "eval");
        });
    }

    @Test
    void powserSplitServesTwoReadersAtDifferentRates() {
        powser(2, ps -> {
            Dch[] s = ps.Split(ps.Diff(ps.Rep(ONE)));
            assertEquals(seq(3, i -> Rat.of(i + 1)), ps.take(s[0], 3));
            assertEquals(seq(20, i -> Rat.of(i + 1)), ps.take(s[1], 20));
            assertEquals(seq(17, i -> Rat.of(i + 4)), ps.take(s[0], 17));
        });
    }
}
