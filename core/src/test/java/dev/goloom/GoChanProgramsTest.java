package dev.goloom;

import static dev.goloom.PowerSeries.ONE;
import static dev.goloom.PowerSeries.ZERO;
import static dev.goloom.PowerSeries.neg;
import static dev.goloom.Select.otherwise;
import static dev.goloom.Select.recv;
import static dev.goloom.Select.recvOk;
import static dev.goloom.Select.select;
import static dev.goloom.Select.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.PowerSeries.Dch;
import dev.goloom.PowerSeries.Rat;
import dev.goloom.testing.GoTestSupport;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
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

    // --------------------------------------------------------------- helpers

    /** The wait reason of goroutine g of rt (null while it runs or once it ended). */
    static String waitReason(GoRuntime rt, Goroutine g) {
        for (GoroutineInfo i : rt.goroutines()) {
            if (i.id() == g.id()) {
                return i.waitReason();
            }
        }
        return null;
    }

    /** Waits (polling, bounded) until g is parked with Go's wait reason {@code reason}. */
    static void awaitBlocked(GoRuntime rt, Goroutine g, String reason) {
        boolean ok = GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> reason.equals(waitReason(rt, g)));
        assertTrue(ok, () -> "goroutine " + g.id() + " did not block in [" + reason + "], it is in ["
                + waitReason(rt, g) + "]");
    }

    static Runnable unreachable(String what) {
        return () -> {
            throw new AssertionError(what);
        };
    }

    // --------------------------------------------------------------- sendstmt.go

    @Test
    void sendstmt() {
        // chanchan: `case <-cc <- 2` sends on the channel received from cc; that receive is part of
        // evaluating the case, so it happens on entering the select, before the choice.
        Chan<Chan<Integer>> cc = Chan.make(1);
        Chan<Integer> c = Chan.make(1);
        cc.send(c);
        assertEquals(0, select(send(cc.recv(), 2, null), otherwise(unreachable("nonblock"))));
        assertEquals(2, c.recv(), "bad receive");
        assertEquals(0, cc.len());
        // sendprec: `c <- false || true` sends the value of the whole expression
        Chan<Boolean> b = Chan.make(1);
        b.send(false || Boolean.parseBoolean("true"));
        assertTrue(b.recv(), "sent false");
    }

    // --------------------------------------------------------------- select.go

    private int counter;
    private int shift;

    private int getValue() {
        counter++;
        return 1 << shift;
    }

    /** Sends on a and b through a select with default, nil-ing each channel once it took a value. */
    private int sendAB(Chan<Integer> a, Chan<Integer> b) {
        int i = 0;
        for (;;) {
            int k = select(send(a, getValue(), null), send(b, getValue(), null), otherwise(null));
            if (k == 2) {
                break;
            }
            i++;
            if (k == 0) {
                a = null;
            } else {
                b = null;
            }
            shift++;
        }
        return i;
    }

    @Test
    void selectEvaluatesEveryCaseEachTime() {
        // test/chan/select.go: every case's value expression is evaluated on each entry to the
        // select, nil channels included; exactly one case proceeds per select.
        Chan<Integer> a = Chan.make(1);
        Chan<Integer> b = Chan.make(1);
        assertEquals(2, sendAB(a, b));
        int av = a.recv();
        int bv = b.recv();
        assertEquals(3, av | bv, "bad values " + av + " " + bv);
        assertEquals(1, sendAB(a, null));
        assertEquals(10, counter, "counter");
    }

    // --------------------------------------------------------------- select4.go

    @Test
    void select4UnchosenReceiveAssignsNothing() {
        // The assignment of a receive case that is not chosen is never evaluated.
        int[] x = {0};
        Chan<Integer> c = Chan.make(1);
        Chan<Integer> c1 = Chan.make();
        c.send(42);
        assertEquals(1, select(recv(c1, v -> {
            throw new AssertionError("BUG: called f");
        }), recv(c, v -> x[0] = v)));
        assertEquals(42, x[0]);
        assertEquals(0, dev.goloom.internal.chan.WhiteBox.waiters(c1));
    }

    // --------------------------------------------------------------- select8.go

    @Test
    void select8EarlyExitFromSelectBodies() {
        // Go's `break` in a case body of one-, two- and three-case selects (gccgo once got it
        // wrong): in Java a body that returns early; the select still completes exactly once.
        GoRuntime rt = t.runtime(2);
        Halt h = new Halt(rt);
        Chan<Integer> ch = Chan.make();
        rt.main(() -> {
            h.go(() -> {
                for (;;) {
                    h.send(ch, 5);
                }
            });
            try {
                int[] got = {0};
                assertEquals(0, select(recv(ch, v -> {
                    got[0] = v;
                    if (v == 5) {
                        return;
                    }
                    throw new AssertionError("unreachable");
                })));
                assertEquals(5, got[0]);
                assertEquals(0, select(otherwise(() -> {
                    if (got[0] == 5) {
                        return;
                    }
                    throw new AssertionError("unreachable");
                })));
                int i = select(recv(ch, v -> { }), otherwise(null));
                assertTrue(i == 0 || i == 1);
                int j = select(recv(ch, v -> { }), send(ch, 10, unreachable("a select paired with itself")),
                        otherwise(null));
                assertNotEquals(1, j);
            } finally {
                h.stop();
            }
        });
    }

    // --------------------------------------------------------------- select3.go

    /** Runs f on a goroutine; checks that it blocks with {@code reason} (then interrupts it) or completes. */
    private void testBlock(GoRuntime rt, boolean always, String reason, Task f) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Goroutine g = rt.go(() -> {
            thread.set(Thread.currentThread());
            try {
                f.run();
                result.set("completed");
            } catch (GoInterruptedException e) {
                Thread.interrupted();
                result.set("interrupted");
            } catch (Throwable e) {
                result.set(e);
            }
        });
        if (always) {
            awaitBlocked(rt, g, reason);
            thread.get().interrupt();
        }
        assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> result.get() != null),
                () -> (always ? "interrupted" : "") + " function did not end: [" + waitReason(rt, g) + "]");
        assertEquals(always ? "interrupted" : "completed", result.get());
    }

    /** Runs f; checks that it always / never panics (ChanClosedException: Go's send on closed channel). */
    private static void testPanic(boolean always, Runnable f) {
        boolean panicked;
        try {
            f.run();
            panicked = false;
        } catch (ChanClosedException e) {
            assertEquals("send on closed channel", e.getMessage());
            panicked = true;
        }
        assertEquals(always, panicked, always ? "function did not panic" : "function did panic");
    }

    @Test
    void select3BlockingAndPanicTable() {
        GoRuntime rt = t.runtime(2);
        Chan<Integer> nilch = null;
        Chan<Integer> closedch = Chan.make();
        closedch.close();
        Runnable unreachable = unreachable("control flow shouldn't reach here");

        // sending/receiving on a nil channel blocks (Java has no nil Chan value outside a select)
        testBlock(rt, true, "chan send (nil chan)", () -> select(send(nilch, 7, null)));
        testBlock(rt, true, "chan receive (nil chan)", () -> select(recv(nilch, v -> { })));
        // ... and inside a select is never selected
        testPanic(false, () -> select(send(nilch, 7, unreachable), otherwise(null)));
        testPanic(false, () -> select(recv(nilch, v -> unreachable.run()), otherwise(null)));
        // sending to a buffered channel with room never blocks
        testBlock(rt, false, null, () -> Chan.<Integer>make(1).send(7));
        // receiving from a closed channel never blocks
        testBlock(rt, false, null, () -> {
            for (int i = 0; i < 10; i++) {
                assertNull(closedch.recv(), "expected zero value when reading from closed channel");
                assertEquals(new Recv<Integer>(null, false), closedch.recvOk(), "expected 0, false from closed channel");
            }
        });
        // sending to a closed channel panics
        testPanic(true, () -> closedch.send(7));
        // receiving from a non-ready channel always blocks
        testBlock(rt, true, "chan receive", () -> Chan.make().recv());
        // empty selects always block
        testBlock(rt, true, "select (no cases)", () -> select());
        // selects with only nil channels always block
        testBlock(rt, true, "chan receive (nil chan)", () -> select(recv(nilch, v -> unreachable.run())));
        testBlock(rt, true, "chan send (nil chan)", () -> select(send(nilch, 7, unreachable)));
        testBlock(rt, true, "select", () -> select(recv(nilch, v -> unreachable.run()), send(nilch, 7, unreachable)));
        // selects with non-ready non-nil channels always block
        testBlock(rt, true, "chan receive", () -> select(recv(Chan.make(), v -> unreachable.run())));
        // selects with default cases don't block
        testBlock(rt, false, null, () -> select(otherwise(null)));
        testBlock(rt, false, null, () -> select(recv(nilch, v -> unreachable.run()), otherwise(null)));
        testBlock(rt, false, null, () -> select(send(nilch, 7, unreachable), otherwise(null)));
        // selects with ready channels don't block
        testBlock(rt, false, null, () -> select(send(Chan.make(1), 7, null), otherwise(unreachable)));
        testBlock(rt, false, null, () -> {
            Chan<Integer> ch = Chan.make(1);
            ch.send(7);
            select(recv(ch, v -> { }), otherwise(unreachable));
        });
        // selects with closed channels behave like ordinary operations
        testBlock(rt, false, null, () -> select(recv(closedch, v -> { })));
        testBlock(rt, false, null, () -> select(recv(closedch, v -> assertNull(v))));
        testBlock(rt, false, null, () -> select(recvOk(closedch, (v, ok) -> assertFalse(ok))));
        testPanic(true, () -> select(send(closedch, 7, null)));
        // select should not get confused if it sees itself
        testBlock(rt, true, "select", () -> {
            Chan<Integer> c = Chan.make();
            select(send(c, 1, null), recv(c, v -> { }));
        });
    }

    // --------------------------------------------------------------- select2.go

    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void select2SelectsDoNotGrowTheHeap() {
        // 100,000 blocking two-case selects, twice; the second round must not keep memory.
        // Go allows 110,000 bytes; a JVM heap reading after GC is coarser, so the bound here is
        // 16 MB: still far below what one retained waiter (or case) per select would keep.
        int n = 100_000;
        GoRuntime rt = t.runtime(2);
        Chan<Integer> c = Chan.make();
        Chan<Integer> dummy = Chan.make();
        Task round = () -> {
            rt.go(() -> {
                for (int i = 0; i < n; i++) {
                    c.send(1);
                }
            });
            for (int i = 0; i < n; i++) {
                select(recv(c, v -> { }), recv(dummy, v -> {
                    throw new AssertionError("dummy");
                }));
            }
        };
        rt.main(round);
        long before = heapAfterGc();
        rt.main(round);
        long after = heapAfterGc();
        assertTrue(after - before < 16L << 20, "too much memory for 100,000 selects: " + (after - before));
        assertEquals(0, dev.goloom.internal.chan.WhiteBox.waiters(dummy));
    }

    // --------------------------------------------------------------- goroutines.go

    @Test
    void goroutinesChainOfTenThousand() {
        // Make a lot of goroutines, threaded together: each passes one value leftwards; tear them
        // down cleanly (every one ends once the value passed through it).
        int n = 10_000;
        GoRuntime rt = t.runtime(2);
        int[] got = {0};
        rt.main(() -> {
            Chan<Integer> leftmost = Chan.make();
            Chan<Integer> left = leftmost;
            Chan<Integer> right = leftmost;
            for (int i = 0; i < n; i++) {
                right = Chan.make();
                Chan<Integer> l = left;
                Chan<Integer> r = right;
                rt.go(() -> l.send(r.recv() + 1));
                left = right;
            }
            Chan<Integer> last = right;
            rt.go(() -> last.send(1));
            got[0] = leftmost.recv();
        });
        assertEquals(n + 1, got[0]);
    }

    // --------------------------------------------------------------- nonblock.go

    private static <T> void nonblockOne(GoRuntime rt, int buffer, Chan<T> c, T toRecv, T toSend) {
        Chan<Boolean> sync = Chan.make();
        assertNull(c.tryRecv(), "blocked sender");
        // a receiver parked on the channel: a non-blocking send succeeds
        Goroutine r = rt.go(() -> {
            assertEquals(toRecv, c.recv(), "receiver value");
            sync.send(true);
        });
        awaitBlocked(rt, r, "chan receive");
        assertTrue(c.trySend(toRecv), "receiver buffer=" + buffer);
        sync.recv();
        // a sender: blocked on an unbuffered channel, or done into the buffer
        Goroutine s = rt.go(() -> {
            c.send(toSend);
            sync.send(true);
        });
        if (buffer > 0) {
            sync.recv();
        } else {
            awaitBlocked(rt, s, "chan send");
        }
        Recv<T> v = c.tryRecv();
        assertNotNull(v, "sender buffer=" + buffer);
        assertEquals(new Recv<>(toSend, true), v, "sender value");
        if (buffer == 0) {
            sync.recv();
        }
    }

    @Test
    void nonblock() {
        GoRuntime rt = t.runtime(2);
        for (int buffer = 0; buffer < 2; buffer++) {
            nonblockOne(rt, buffer, Chan.<Integer>make(buffer), 123, 234);
            nonblockOne(rt, buffer, Chan.<Long>make(buffer), 123456L, 234567L);
            nonblockOne(rt, buffer, Chan.<Boolean>make(buffer), true, true);
            nonblockOne(rt, buffer, Chan.<String>make(buffer), "hello", "hello again");
        }
    }

    // --------------------------------------------------------------- perm.go

    private static Set<String> methods(Class<?> c) {
        return Arrays.stream(c.getMethods()).map(Method::getName).collect(Collectors.toSet());
    }

    @Test
    void permChannelDirectionsAreTypes() {
        // test/chan/perm.go is a compile-error test of channel directions (chan<- has no receive,
        // <-chan no send or close). goloom's directions are the interfaces SendChan and RecvChan:
        // the same rules hold at compile time because those methods do not exist.
        Set<String> sendOnly = methods(SendChan.class);
        Set<String> recvOnly = methods(RecvChan.class);
        for (String m : List.of("recv", "recvOk", "tryRecv", "iterator", "stream")) {
            assertFalse(sendOnly.contains(m), "SendChan has " + m);
        }
        for (String m : List.of("send", "trySend", "close")) {
            assertFalse(recvOnly.contains(m), "RecvChan has " + m);
        }
        assertTrue(SendChan.class.isAssignableFrom(Chan.class) && RecvChan.class.isAssignableFrom(Chan.class));
        assertFalse(RecvChan.class.isAssignableFrom(SendChan.class));
        assertFalse(SendChan.class.isAssignableFrom(RecvChan.class));
    }

    // --------------------------------------------------------------- sieve2.go

    /** A channel whose next value has been read ahead (sieve2's PeekCh). */
    private static final class PeekCh {
        int head;
        final Chan<Integer> ch;

        PeekCh(int head, Chan<Integer> ch) {
            this.head = head;
            this.ch = ch;
        }
    }

    /** Odd numbers from 5. */
    private static Chan<Integer> odds(Halt h) {
        Chan<Integer> out = Chan.make(50);
        h.go(() -> {
            for (int n = 5; ; n += 2) {
                h.send(out, n);
            }
        });
        return out;
    }

    /** Odd multiples of the prime p from p*p. */
    private static Chan<Integer> multiples(Halt h, int p) {
        Chan<Integer> out = Chan.make(10);
        h.go(() -> {
            for (int n = p * p; ; n += 2 * p) {
                h.send(out, n);
            }
        });
        return out;
    }

    /** A sending proxy to out that never blocks: an expanding buffer, its output disabled (nil) while empty. */
    private static SendChan<Integer> sendproxy(Halt h, Chan<Integer> out) {
        Chan<Integer> proxy = Chan.make(10);
        h.go(() -> {
            ArrayDeque<Integer> buf = new ArrayDeque<>(16);
            for (;;) {
                Chan<Integer> c = buf.isEmpty() ? null : out;
                Integer e = buf.peekFirst();
                if (h.select(recv(proxy, buf::addLast), send(c, e, null)) == 1) {
                    buf.removeFirst();
                }
            }
        });
        return proxy;
    }

    /** sieve2's Sieve: odd candidates minus a heap-merged stream of composites, primes fed back. */
    private static Chan<Integer> sieve2(Halt h) {
        Chan<Integer> out = Chan.make(10);
        out.send(2);
        out.send(3);
        Chan<Integer> composites = Chan.make(50);
        Chan<Integer> primes = Chan.make(10);
        primes.send(3);
        h.go(() -> {
            PriorityQueue<PeekCh> heap = new PriorityQueue<>((a, b) -> Integer.compare(a.head, b.head));
            int min = 15;
            for (;;) {
                Chan<Integer> m = multiples(h, h.recv(primes));
                int head = h.recv(m);
                while (min < head) {
                    h.send(composites, min);
                    PeekCh minchan = heap.remove();
                    min = minchan.head;
                    minchan.head = h.recv(minchan.ch);
                    heap.add(minchan);
                }
                while (min == head) {
                    PeekCh minchan = heap.remove();
                    min = minchan.head;
                    minchan.head = h.recv(minchan.ch);
                    heap.add(minchan);
                }
                h.send(composites, head);
                heap.add(new PeekCh(h.recv(m), m));
            }
        });
        h.go(() -> {
            // Only primes up to sqrt(n) are needed to sieve up to n, so the merger reads `primes`
            // far more slowly than this goroutine writes it: the proxy buffers without bound.
            SendChan<Integer> fed = sendproxy(h, primes);
            Chan<Integer> candidates = odds(h);
            int p = h.recv(candidates);
            for (;;) {
                int c = h.recv(composites);
                while (p < c) {
                    h.send(fed, p);
                    h.send(out, p);
                    p = h.recv(candidates);
                }
                if (p == c) {
                    p = h.recv(candidates);
                }
            }
        });
        return out;
    }

    static List<Integer> primesBelow(int n) {
        boolean[] composite = new boolean[n];
        List<Integer> ps = new ArrayList<>();
        for (int i = 2; i < n; i++) {
            if (!composite[i]) {
                ps.add(i);
                for (long j = (long) i * i; j < n; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return ps;
    }

    @ParameterizedTest(name = "GOMAXPROCS={0}")
    @ValueSource(ints = {1, 2})
    void sieve2(int procs) {
        // Go checks the primes below 100; this reads every prime below 20,000.
        GoRuntime rt = t.runtime(procs);
        Halt h = new Halt(rt);
        List<Integer> want = primesBelow(20_000);
        List<Integer> got = new ArrayList<>();
        rt.main(() -> {
            try {
                Chan<Integer> primes = sieve2(h);
                for (int i = 0; i < want.size(); i++) {
                    got.add(h.recv(primes));
                }
            } finally {
                h.stop();
            }
        });
        assertEquals(want.subList(0, 25), got.subList(0, 25));
        assertEquals(want, got);
    }
}
