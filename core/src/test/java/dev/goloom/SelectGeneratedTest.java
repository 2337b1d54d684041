package dev.goloom;

import static dev.goloom.Select.otherwise;
import static dev.goloom.Select.recv;
import static dev.goloom.Select.recvOk;
import static dev.goloom.Select.select;
import static dev.goloom.Select.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.goloom.internal.chan.WhiteBox;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Go's test/chan/select5.go, a generator of select test programs, ported as an exhaustive JUnit
 * test, plus a systematic generator of its own.
 *
 * <p><b>select5's templates</b> ({@link #select5Templates}): select5 enumerates every path
 * through five templates (recv, send, recvOrder, sendOrder, nonblock) and emits one Go function
 * per path; each does one real send or receive on a buffered channel, phrased with or without a
 * select, with the default case before or after the real case or absent, with or without dummy
 * cases on a never-ready channel and on nil channels, in each receive form; the Order templates
 * check that channel and value expressions are evaluated in source order on entering the select
 * and the receive's assignment only after the case was chosen. Here {@link Paths} walks the
 * same choice trees and each path runs at once; the receive forms become the Java forms (field,
 * through a reference, a local, an Object, a map, and {@code recvOk}, one more than Go's).
 *
 * <p><b>The systematic generator</b> ({@link #everyCombinationOfOneAndTwoCases},
 * {@link #sampledThreeCaseSelects}): every select of one and two cases, each case a send, a
 * receive or a receive-with-ok on a channel that is nil, ready through its buffer, ready through
 * a parked partner goroutine, blocking (unbuffered, or buffered and full/empty) or closed, with
 * no default or a default in every position; three-case selects are sampled from the seed. The
 * outcome each must have is computed first: a ready case (a closed channel is ready; a send on
 * it throws) if any, chosen among the ready ones; else the default; else it blocks with Go's
 * wait reason, and a send, a receive or a close on one blocking channel (or, with only nil
 * channels, an interrupt) ends it, at that case. Then the select runs and every channel is
 * checked: the chosen operation happened once, with the right value, and nothing else changed
 * (no value moved, no waiter left behind, parked partners still parked).
 */
@Timeout(120)
class SelectGeneratedTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    // =============================================================== select5.go

    /**
     * Enumerates every path through a decision procedure: the procedure calls
     * {@link #choose}(n) at each decision; successive runs (while {@link #next()}) return
     * 0..n-1 at each point, in depth-first order, until every path was taken.
     */
    static final class Paths {
        private final List<int[]> choices = new ArrayList<>(); // {chosen, n}
        private int cp = -1;

        boolean next() {
            if (cp < 0) {
                cp = 0;
                return true;
            }
            int last = choices.size() - 1;
            while (last >= 0 && choices.get(last)[0] == choices.get(last)[1] - 1) {
                last--;
            }
            if (last < 0) {
                choices.clear();
                cp = -1;
                return false;
            }
            choices.get(last)[0]++;
            choices.subList(last + 1, choices.size()).clear();
            cp = 0;
            return true;
        }

        int choose(int n) {
            if (cp >= choices.size()) {
                choices.add(new int[] {0, n});
                cp = choices.size();
                return 0;
            }
            int[] c = choices.get(cp++);
            if (c[1] != n) {
                throw new IllegalStateException("inconsistent choices");
            }
            return c[0];
        }

        boolean maybe() {
            return choose(2) == 0;
        }
    }

    /** The state of select5's generated program, and of one template run (its default flag). */
    private final class Program {
        final Paths p = new Paths();
        final Chan<Integer> c = Chan.make(1);    // buffered, so the program is single-goroutine
        final Chan<Integer> nilch = null;
        final Chan<Integer> dummy = Chan.make();
        final Map<Integer, Integer> m = new HashMap<>();
        int n = 1;
        int x;
        int order;
        boolean def;
        String path;

        boolean maybe() {
            return p.maybe();
        }

        boolean maybeDefault() {
            if (def) {
                return false;
            }
            def = p.maybe();
            return def;
        }

        boolean mustDefault() {
            return !def;
        }

        void checkorder(int o) {
            if (o <= order) {
                fail("invalid order " + o + " after " + order + " in " + path);
            }
            order = o;
        }

        Chan<Integer> fc(Chan<Integer> ch, int o) {
            checkorder(o);
            return ch;
        }

        int[] fp(int[] ptr, int o) {
            checkorder(o);
            return ptr;
        }

        int fn(int v, int o) {
            checkorder(o);
            return v;
        }

        void check() {
            if (x != n) {
                fail("have " + x + " want " + n + " in " + path);
            }
            n++;
        }

        Select.Case nonblockDefault() {
            return otherwise(() -> fail("nonblock in " + path));
        }

        Runnable panics(String what) {
            return () -> fail(what + " in " + path);
        }
    }

    /** Runs template over every path; returns the number of paths. */
    private static int each(Program g, String name, java.util.function.Consumer<Program> template) {
        int count = 0;
        while (g.p.next()) {
            g.def = false;
            g.path = name + " #" + count;
            template.accept(g);
            count++;
        }
        return count;
    }

    /** Send n, receive it one way or another into x, check that they match. */
    private static void recvTemplate(Program g) {
        g.c.send(g.n);
        if (g.maybe()) {
            g.x = g.c.recv();
        } else {
            List<Select.Case> cases = new ArrayList<>();
            // blocking or non-blocking, the default before the receive ...
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            // receive from c: direct, indirect, a local, an Object, a map entry, recvOk
            int[] px = {0};
            if (g.maybe()) {
                cases.add(recv(g.c, v -> g.x = v));
            } else if (g.maybe()) {
                cases.add(recv(g.c, v -> px[0] = v));
            } else if (g.maybe()) {
                cases.add(recv(g.c, v -> {
                    int y = v;
                    g.x = y;
                }));
            } else if (g.maybe()) {
                cases.add(recv(g.c, (Object i) -> g.x = (Integer) i));
            } else if (g.maybe()) {
                cases.add(recvOk(g.c, (v, ok) -> {
                    assertTrue(ok);
                    g.x = v;
                }));
            } else {
                cases.add(recv(g.c, v -> g.m.put(13, v)));
            }
            // ... or after it
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            // dummy send and receive, nil channel send and receive: never ready
            if (g.maybe()) {
                cases.add(send(g.dummy, 1, g.panics("dummy send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.dummy, v -> fail("dummy receive")));
            }
            if (g.maybe()) {
                cases.add(send(g.nilch, 1, g.panics("nilch send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.nilch, v -> fail("nilch recv")));
            }
            g.x = -1;
            g.m.clear();
            select(cases);
            if (px[0] != 0) {
                g.x = px[0];
            } else if (g.m.containsKey(13)) {
                g.x = g.m.get(13);
            }
        }
        g.check();
    }

    /** As recv, checking the order of evaluation: source order on entry, the assignment last. */
    private static void recvOrderTemplate(Program g) {
        g.order = 0;
        g.c.send(g.n);
        if (g.maybe()) {
            // outside a select, left to right: the destination before the receive
            int[] px = g.fp(new int[1], 1);
            px[0] = g.fc(g.c, 2).recv();
            g.x = px[0];
        } else if (g.maybe()) {
            g.m.put(g.fn(13, 1), g.fc(g.c, 2).recv());
            g.x = g.m.get(13);
        } else {
            List<Select.Case> cases = new ArrayList<>();
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            // inside a select the destination is evaluated once the case was chosen: order 100
            if (g.maybe()) {
                cases.add(recv(g.fc(g.c, 1), v -> g.fp(new int[1], 100)[0] = g.x = v));
            } else if (g.maybe()) {
                cases.add(recv(g.fc(g.c, 1), v -> {
                    int y = v;
                    g.x = y;
                }));
            } else if (g.maybe()) {
                cases.add(recv(g.fc(g.c, 1), (Object i) -> g.x = (Integer) i));
            } else if (g.maybe()) {
                cases.add(recvOk(g.fc(g.c, 1), (v, ok) -> g.x = g.fn(v, 100)));
            } else {
                cases.add(recv(g.fc(g.c, 1), v -> {
                    g.m.put(g.fn(13, 100), v);
                    g.x = g.m.get(13);
                }));
            }
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            if (g.maybe()) {
                cases.add(send(g.fc(g.dummy, 2), g.fn(1, 3), g.panics("dummy send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.fc(g.dummy, 4), v -> fail("dummy receive")));
            }
            if (g.maybe()) {
                cases.add(send(g.fc(g.nilch, 5), g.fn(1, 6), g.panics("nilch send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.fc(g.nilch, 7), v -> fail("nilch recv")));
            }
            select(cases);
        }
        g.check();
    }

    /** Send n one way or another, receive it into x, check that they match. */
    private static void sendTemplate(Program g) {
        if (g.maybe()) {
            g.c.send(g.n);
        } else {
            List<Select.Case> cases = new ArrayList<>();
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            cases.add(send(g.c, g.n, null));
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            if (g.maybe()) {
                cases.add(send(g.dummy, 1, g.panics("dummy send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.dummy, v -> fail("dummy receive")));
            }
            if (g.maybe()) {
                cases.add(send(g.nilch, 1, g.panics("nilch send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.nilch, v -> fail("nilch recv")));
            }
            select(cases);
        }
        g.x = g.c.recv();
        g.check();
    }

    /** As send, checking that channel and value are evaluated in source order. */
    private static void sendOrderTemplate(Program g) {
        g.order = 0;
        if (g.maybe()) {
            g.fc(g.c, 1).send(g.fn(g.n, 2));
        } else {
            List<Select.Case> cases = new ArrayList<>();
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            cases.add(send(g.fc(g.c, 1), g.fn(g.n, 2), null));
            if (g.maybeDefault()) {
                cases.add(g.nonblockDefault());
            }
            if (g.maybe()) {
                cases.add(send(g.fc(g.dummy, 3), g.fn(1, 4), g.panics("dummy send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.fc(g.dummy, 5), v -> fail("dummy receive")));
            }
            if (g.maybe()) {
                cases.add(send(g.fc(g.nilch, 6), g.fn(1, 7), g.panics("nilch send")));
            }
            if (g.maybe()) {
                cases.add(recv(g.fc(g.nilch, 8), v -> fail("nilch recv")));
            }
            select(cases);
        }
        g.x = g.c.recv();
        g.check();
    }

    /** Non-blocking selects of never-ready cases: the default runs, no receive assigns anything. */
    private static void nonblockTemplate(Program g) {
        g.x = g.n;
        List<Select.Case> cases = new ArrayList<>();
        int[] defaults = {0};
        if (g.maybeDefault()) {
            cases.add(otherwise(() -> defaults[0]++));
        }
        if (g.maybe()) {
            cases.add(send(g.dummy, 1, g.panics("dummy <- 1")));
        }
        if (g.maybe()) {
            cases.add(send(g.nilch, 1, g.panics("nilch <- 1")));
        }
        if (g.maybe()) {
            cases.add(recv(g.dummy, v -> fail("<-dummy")));
        }
        if (g.maybe()) {
            cases.add(recv(g.dummy, v -> g.x = v));
        }
        if (g.maybe()) {
            int[][] nil = {null};
            cases.add(recv(g.dummy, v -> nil[0][0] = v));      // would crash saving the result
        }
        if (g.maybe()) {
            cases.add(recv(g.nilch, v -> fail("<-nilch")));
        }
        if (g.maybe()) {
            cases.add(recv(g.nilch, v -> g.x = v));
        }
        if (g.maybe()) {
            int[][] nil = {null};
            cases.add(recvOk(g.nilch, (v, ok) -> nil[0][0] = v));
        }
        if (g.mustDefault()) {
            cases.add(otherwise(() -> defaults[0]++));
        }
        int i = select(cases);
        assertEquals(1, defaults[0], g.path);
        assertTrue(i == 0 || i == cases.size() - 1, g.path);
        g.check();
    }

    @Test
    void select5Templates() {
        // select5 runs on a single goroutine (its channel is buffered); so does this, on main.
        GoRuntime rt = t.runtime(1);
        int[] counts = new int[5];
        rt.main(() -> {
            Program g = new Program();
            counts[0] = each(g, "recv", SelectGeneratedTest::recvTemplate);
            counts[1] = each(g, "send", SelectGeneratedTest::sendTemplate);
            counts[2] = each(g, "recvOrder", SelectGeneratedTest::recvOrderTemplate);
            counts[3] = each(g, "sendOrder", SelectGeneratedTest::sendOrderTemplate);
            counts[4] = each(g, "nonblock", SelectGeneratedTest::nonblockTemplate);
            assertEquals(0, g.c.len());
            assertEquals(0, WhiteBox.waiters(g.dummy));
        });
        // The choice trees, counted: recv = 1 + 6 forms x 3 default placements x 2^4 dummies;
        // send = 1 + 3 x 2^4; recvOrder = 2 + 5 x 3 x 2^4; sendOrder = send; nonblock = 2 x 2^8.
        // (select5 itself has 5 receive forms in recv and 4 in recvOrder: 1045 cases in all.)
        assertEquals(List.of(289, 49, 242, 49, 512), List.of(counts[0], counts[1], counts[2], counts[3], counts[4]));
    }

    @Test
    void pathsEnumeratesEveryPathOnce() {
        Paths p = new Paths();
        List<String> seen = new ArrayList<>();
        while (p.next()) {
            // a tree whose shape depends on earlier choices
            int a = p.choose(3);
            String s = "a" + a;
            if (a == 1) {
                s += "b" + p.choose(2);
            }
            if (a != 2 && p.maybe()) {
                s += "c";
            }
            seen.add(s);
        }
        assertEquals(List.of("a0c", "a0", "a1b0c", "a1b0", "a1b1c", "a1b1", "a2"), seen);
    }

    // =============================================================== systematic generator

    enum Op {
        SEND, RECV, RECV_OK
    }

    enum State {
        /** Go's nil channel: never ready. */
        NIL,
        /** ready through the buffer: a value buffered (receive), room in it (send). */
        READY_BUF,
        /** ready through a partner goroutine parked on an unbuffered channel. */
        READY_PARKED,
        /** unbuffered, nobody on the other side. */
        BLOCKING_UNBUF,
        /** buffered: empty (receive) or full (send). */
        BLOCKING_BUF,
        /** closed: a receive is ready (zero value, ok false); a chosen send throws. */
        CLOSED;

        boolean ready() {
            return this == READY_BUF || this == READY_PARKED || this == CLOSED;
        }

        boolean blocking() {
            return this == BLOCKING_UNBUF || this == BLOCKING_BUF;
        }
    }

    record Slot(Op op, State state) {
        @Override
        public String toString() {
            return op.name().toLowerCase() + "/" + state;
        }
    }

    /** How a blocked select is ended. */
    enum Waker {
        PARTNER, CLOSE
    }

    private static final int SENT = 1000;
    private static final int BUFFERED = 2000;
    private static final int PARTNER = 3000;
    private static final int FILLER = 4000;

    /** How the combinations ended: a ready case, a panic, the default, woken, closed, interrupted. */
    private final int[] outcomes = new int[6];

    String describeOutcomes() {
        return "select combinations: ready " + outcomes[0] + ", panic " + outcomes[1] + ", default "
                + outcomes[2] + ", woken " + outcomes[3] + ", closed while blocked " + outcomes[4]
                + ", interrupted " + outcomes[5];
    }

    /** What the chosen case saw. */
    record Fired(int slot, Integer value, Boolean ok) {
    }

    /**
     * Builds the select described by slots (default at defaultAt, -1 for none), computes the
     * outcome it must have, runs it and checks every channel afterwards.
     */
    private void runCombination(GoRuntime rt, List<Slot> slots, int defaultAt, Waker waker, int wakeChoice) {
        String what = slots + (defaultAt < 0 ? "" : " default@" + defaultAt) + " waker=" + waker;
        int k = slots.size();
        List<Chan<Integer>> chans = new ArrayList<>();
        Chan<Integer> partnerDone = Chan.make(k);
        List<AtomicReference<Integer>> partnerGot = new ArrayList<>();
        int partners = 0;
        for (int i = 0; i < k; i++) {
            Slot s = slots.get(i);
            boolean isSend = s.op() == Op.SEND;
            AtomicReference<Integer> got = new AtomicReference<>();
            partnerGot.add(got);
            Chan<Integer> c = switch (s.state()) {
                case NIL -> null;
                case READY_BUF, BLOCKING_BUF -> Chan.make(1);
                case READY_PARKED, BLOCKING_UNBUF, CLOSED -> Chan.make();
            };
            int v = i;
            switch (s.state()) {
                case READY_BUF -> {
                    if (!isSend) {
                        c.send(BUFFERED + v);
                    }
                }
                case BLOCKING_BUF -> {
                    if (isSend) {
                        c.send(FILLER + v);
                    }
                }
                case READY_PARKED -> {
                    Chan<Integer> pc = c;
                    if (isSend) {
                        rt.go(() -> {
                            got.set(pc.recv());
                            partnerDone.send(null);
                        });
                    } else {
                        rt.go(() -> {
                            pc.send(PARTNER + v);
                            partnerDone.send(null);
                        });
                    }
                    assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> WhiteBox.waiters(pc) == 1),
                            what + ": partner did not park");
                    partners++;
                }
                case CLOSED -> c.close();
                default -> {
                }
            }
            chans.add(c);
        }

        // the select
        AtomicInteger bodies = new AtomicInteger();
        AtomicReference<Fired> fired = new AtomicReference<>();
        List<Select.Case> cases = new ArrayList<>();
        int[] slotOf = new int[k + 1];
        for (int i = 0; i <= k; i++) {
            if (i == defaultAt) {
                slotOf[cases.size()] = -1;
                cases.add(otherwise(() -> {
                    bodies.incrementAndGet();
                    fired.set(new Fired(-1, null, null));
                }));
            }
            if (i == k) {
                break;
            }
            int slot = i;
            Chan<Integer> c = chans.get(i);
            slotOf[cases.size()] = i;
            cases.add(switch (slots.get(i).op()) {
                case SEND -> send(c, SENT + slot, () -> {
                    bodies.incrementAndGet();
                    fired.set(new Fired(slot, null, null));
                });
                case RECV -> recv(c, v -> {
                    bodies.incrementAndGet();
                    fired.set(new Fired(slot, v, null));
                });
                case RECV_OK -> recvOk(c, (v, ok) -> {
                    bodies.incrementAndGet();
                    fired.set(new Fired(slot, v, ok));
                });
            });
        }

        // the outcome it must have
        List<Integer> ready = new ArrayList<>();
        List<Integer> blocking = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (slots.get(i).state().ready()) {
                ready.add(i);
            } else if (slots.get(i).state().blocking()) {
                blocking.add(i);
            }
        }
        int chosen;                     // slot, or -1 for the default
        Throwable thrown = null;
        int woken = -1;
        if (!ready.isEmpty() || defaultAt >= 0) {
            try {
                chosen = slotOf[select(cases)];
            } catch (ChanClosedException e) {
                thrown = e;
                chosen = -2;
            }
            if (!ready.isEmpty()) {
                if (thrown != null) {
                    assertTrue(ready.stream().anyMatch(i -> slots.get(i).op() == Op.SEND
                            && slots.get(i).state() == State.CLOSED), what + ": " + thrown);
                    assertEquals("send on closed channel", thrown.getMessage());
                    assertEquals(0, bodies.get(), what + ": a body ran after a panic");
                } else {
                    assertTrue(ready.contains(chosen), what + ": chose " + chosen + ", ready " + ready);
                    assertTrue(!(slots.get(chosen).op() == Op.SEND && slots.get(chosen).state() == State.CLOSED),
                            what + ": a send on a closed channel proceeded");
                }
            } else {
                assertEquals(-1, chosen, what + ": nothing ready, the default must run");
            }
        } else {
            // it blocks: on a goroutine, so that its wait reason is visible
            AtomicReference<Object> result = new AtomicReference<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            Goroutine g = rt.go(() -> {
                thread.set(Thread.currentThread());
                try {
                    result.set(select(cases));
                } catch (Throwable e) {
                    if (e instanceof GoInterruptedException) {
                        Thread.interrupted();
                    }
                    result.set(e);
                }
            });
            long nonNil = slots.stream().filter(s -> s.state() != State.NIL).count();
            String reason = k > 1 ? "select" : switch (slots.get(0).op()) {
                case SEND -> nonNil == 0 ? "chan send (nil chan)" : "chan send";
                default -> nonNil == 0 ? "chan receive (nil chan)" : "chan receive";
            };
            GoChanProgramsTest.awaitBlocked(rt, g, reason);
            for (int i = 0; i < k; i++) {
                Chan<Integer> c = chans.get(i);
                if (c != null) {
                    assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> WhiteBox.waiters(c) == 1),
                            what + ": the blocked select is not queued on case " + i);
                }
            }
            assertEquals(0, bodies.get());
            Integer partnerSaw = null;
            if (blocking.isEmpty()) {
                thread.get().interrupt();
            } else {
                woken = blocking.get(wakeChoice % blocking.size());
                Slot s = slots.get(woken);
                Chan<Integer> c = chans.get(woken);
                if (waker == Waker.CLOSE) {
                    c.close();
                } else if (s.op() == Op.SEND) {
                    partnerSaw = c.recv();          // the select's value, or the filler it waits behind
                } else {
                    c.send(PARTNER + woken);
                }
            }
            assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY, () -> result.get() != null),
                    what + ": the select was not woken");
            Object r = result.get();
            if (woken < 0) {
                assertTrue(r instanceof GoInterruptedException, what + ": " + r);
                chosen = -3;
            } else if (waker == Waker.CLOSE && slots.get(woken).op() == Op.SEND) {
                assertTrue(r instanceof ChanClosedException, what + ": " + r);
                thrown = (Throwable) r;
                chosen = -2;
            } else {
                assertTrue(r instanceof Integer, what + ": " + r);
                chosen = slotOf[(Integer) r];
                assertEquals(woken, chosen, what + ": woken by case " + woken + " but ran case " + chosen);
                if (slots.get(woken).op() == Op.SEND) {
                    int expect = slots.get(woken).state() == State.BLOCKING_BUF ? FILLER + woken : SENT + woken;
                    assertEquals(expect, partnerSaw, what);
                }
            }
        }

        outcomes[chosen >= 0 ? (woken >= 0 ? 3 : 0) : chosen == -1 ? 2 : chosen == -3 ? 5 : woken >= 0 ? 4 : 1]++;
        if (chosen >= 0 && woken >= 0 && waker == Waker.CLOSE) {
            outcomes[4]++;
        }

        // every channel afterwards
        if (chosen >= -1) {
            assertEquals(1, bodies.get(), what + ": bodies run");
            assertEquals(chosen, fired.get().slot(), what);
        } else {
            assertEquals(0, bodies.get(), what + ": bodies run");
        }
        for (int i = 0; i < k; i++) {
            Slot s = slots.get(i);
            Chan<Integer> c = chans.get(i);
            boolean mine = i == chosen;
            boolean closedByWaker = i == woken && waker == Waker.CLOSE;
            String at = what + ", case " + i + " (" + s + ")";
            if (mine && s.op() != Op.SEND) {
                Integer want = switch (s.state()) {
                    case READY_BUF -> BUFFERED + i;
                    case READY_PARKED, BLOCKING_UNBUF, BLOCKING_BUF -> closedByWaker ? null : PARTNER + i;
                    default -> null;
                };
                boolean ok = s.state() != State.CLOSED && !closedByWaker;
                assertEquals(want, fired.get().value(), at);
                if (s.op() == Op.RECV_OK) {
                    assertEquals(ok, fired.get().ok(), at);
                }
            }
            switch (s.state()) {
                case NIL -> {
                }
                case READY_BUF -> {
                    if (s.op() == Op.SEND) {
                        assertEquals(mine ? new Recv<>(SENT + i, true) : null, c.tryRecv(), at);
                    } else {
                        assertEquals(mine ? null : new Recv<>(BUFFERED + i, true), c.tryRecv(), at);
                    }
                }
                case READY_PARKED -> {
                    if (mine) {
                        partnerDone.recv();
                        partners--;
                        if (s.op() == Op.SEND) {
                            assertEquals(SENT + i, partnerGot.get(i).get(), at);
                        }
                    } else {
                        assertEquals(1, WhiteBox.waiters(c), at + ": the partner is no longer parked");
                        if (s.op() == Op.SEND) {
                            c.send(-1);                  // release the partner receiver
                        } else {
                            assertEquals(PARTNER + i, c.recv(), at);
                        }
                        partnerDone.recv();
                        partners--;
                    }
                }
                case BLOCKING_UNBUF -> assertEquals(closedByWaker ? new Recv<Integer>(null, false) : null,
                        c.tryRecv(), at);
                case BLOCKING_BUF -> {
                    if (s.op() == Op.SEND) {
                        // full: the filler, unless the waker took it and the select's value followed
                        Recv<Integer> want = mine ? new Recv<>(SENT + i, true) : new Recv<>(FILLER + i, true);
                        assertEquals(want, c.tryRecv(), at);
                    } else {
                        assertEquals(closedByWaker ? new Recv<Integer>(null, false) : null, c.tryRecv(), at);
                    }
                }
                case CLOSED -> assertEquals(new Recv<Integer>(null, false), c.tryRecv(), at);
                default -> {
                }
            }
            if (c != null) {
                assertEquals(0, WhiteBox.waiters(c), at + ": a waiter was left behind");
                WhiteBox.checkInvariants(c);
            }
        }
        assertEquals(0, partners, what);
    }

    /** Every slot: each operation on each channel state. */
    static List<Slot> allSlots() {
        List<Slot> all = new ArrayList<>();
        for (Op op : Op.values()) {
            for (State s : State.values()) {
                all.add(new Slot(op, s));
            }
        }
        return all;
    }

    /** Runs every default position for one list of slots; the waker alternates with n. */
    private int runAllDefaults(GoRuntime rt, List<Slot> slots, int n) {
        int runs = 0;
        for (int d = -1; d <= slots.size(); d++) {
            runCombination(rt, slots, d, (n + d) % 3 == 2 ? Waker.CLOSE : Waker.PARTNER, n + d + 1);
            runs++;
        }
        return runs;
    }

    /** Every select of one and two cases over every slot, with every default placement. */
    static int everyOneAndTwoCaseSelect(GoRuntime rt, SelectGeneratedTest self) {
        List<Slot> all = allSlots();
        int runs = 0;
        int n = 0;
        for (Slot a : all) {
            runs += self.runAllDefaults(rt, List.of(a), n++);
        }
        for (Slot a : all) {
            for (Slot b : all) {
                runs += self.runAllDefaults(rt, List.of(a, b), n++);
            }
        }
        return runs;
    }

    @Test
    void everyCombinationOfOneAndTwoCases() {
        GoRuntime rt = t.runtime(2);
        int runs = everyOneAndTwoCaseSelect(rt, this);
        // 18 slots: 18 x 3 default placements + 18^2 x 4 = 1350 selects
        assertEquals(18 * 3 + 18 * 18 * 4, runs);
        for (int i = 0; i < outcomes.length; i++) {
            assertTrue(outcomes[i] > 0, "outcome " + i + " never happened: " + java.util.Arrays.toString(outcomes));
        }
        System.out.println(describeOutcomes());
    }

    @Test
    void sampledThreeCaseSelects() {
        GoRuntime rt = t.runtime(2);
        SplittableRandom r = Seeds.random();
        List<Slot> all = allSlots();
        for (int n = 0; n < 300; n++) {
            List<Slot> slots = List.of(all.get(r.nextInt(all.size())), all.get(r.nextInt(all.size())),
                    all.get(r.nextInt(all.size())));
            int d = r.nextInt(5) - 1;
            runCombination(rt, slots, d, r.nextBoolean() ? Waker.CLOSE : Waker.PARTNER, r.nextInt(3));
        }
    }

    /** For the stress class: every three-case select at one default placement chosen by n. */
    void everyThreeCaseSelect(GoRuntime rt) {
        List<Slot> all = allSlots();
        int n = 0;
        for (Slot a : all) {
            for (Slot b : all) {
                for (Slot c : all) {
                    // the waker and the case it wakes from a hash of n: n's residues are tied to the slots
                    long h = (n * 0x9E3779B97F4A7C15L) >>> 32;
                    runCombination(rt, List.of(a, b, c), n % 5 - 1, (h & 1) == 0 ? Waker.CLOSE : Waker.PARTNER,
                            (int) (h >>> 1) & 0xffff);
                    n++;
                }
            }
        }
    }
}
