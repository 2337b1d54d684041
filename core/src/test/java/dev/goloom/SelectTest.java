package dev.goloom;

import static dev.goloom.ChanTesting.await;
import static dev.goloom.ChanTesting.awaitParked;
import static dev.goloom.ChanTesting.join;
import static dev.goloom.ChanTesting.start;
import static dev.goloom.Select.after;
import static dev.goloom.Select.otherwise;
import static dev.goloom.Select.recv;
import static dev.goloom.Select.recvOk;
import static dev.goloom.Select.select;
import static dev.goloom.Select.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.chan.WhiteBox;
import dev.goloom.internal.sched.G;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Select semantics: Go's select tests in src/runtime/chan_test.go and test/chan/select*.go. */
class SelectTest {

    /** Pearson's chi-square of counts against a uniform distribution. */
    private static double chiSquare(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        double expected = (double) total / counts.length;
        double chi = 0;
        for (int c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    // --------------------------------------------------------------- choice

    @Test
    void readyCasesAreChosenUniformly() {
        // chan_test.go TestSelectFairness, with a chi-square bound: for k-1 <= 3 degrees of
        // freedom, P(chi2 > 50) < 1e-9, so this never flakes and still catches a bias of a few
        // percent at 40,000 trials.
        for (int k : new int[] {2, 3, 4}) {
            List<Chan<Integer>> cs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Chan<Integer> c = Chan.make(1);
                c.send(i);
                cs.add(c);
            }
            int[] counts = new int[k];
            Select.Case[] cases = new Select.Case[k];
            for (int i = 0; i < k; i++) {
                Chan<Integer> c = cs.get(i);
                cases[i] = recv(c, v -> c.send(v));     // put it back: always ready
            }
            for (int n = 0; n < 40_000; n++) {
                counts[select(cases)]++;
            }
            double chi = chiSquare(counts);
            assertTrue(chi < 50, "select is not uniform over " + k + " ready cases: "
                    + java.util.Arrays.toString(counts) + " chi2=" + chi);
        }
    }

    @Test
    void pseudoRandomSend() {
        // chan_test.go TestPseudoRandomSend: two send cases on one channel, values 0 and 1.
        Chan<Integer> c = Chan.make();
        int n = 10_000;
        int[] counts = new int[2];
        Thread r = start(() -> {
            for (int i = 0; i < n; i++) {
                counts[c.recv()]++;
            }
        });
        for (int i = 0; i < n; i++) {
            select(send(c, 0, null), send(c, 1, null));
        }
        join(r);
        assertTrue(chiSquare(counts) < 50, "want about half each, got " + counts[0] + "/" + counts[1]);
    }

    @Test
    void defaultRunsOnlyWhenNothingIsReady() {
        Chan<Integer> a = Chan.make();
        Chan<Integer> b = Chan.make(1);
        AtomicInteger body = new AtomicInteger();
        assertEquals(2, select(recv(a, v -> body.set(1)), recv(b, v -> body.set(2)),
                otherwise(() -> body.set(3))));
        assertEquals(3, body.get());
        b.send(5);
        AtomicReference<Integer> got = new AtomicReference<>();
        assertEquals(1, select(recv(a, v -> body.set(1)), recv(b, got::set), otherwise(() -> body.set(3))));
        assertEquals(5, got.get());
        // a single case plus default (Go's selectnbsend / selectnbrecv)
        assertEquals(1, select(send(a, 1, null), otherwise(null)));
        assertEquals(0, select(send(b, 1, null), otherwise(null)));
        assertEquals(0, select(otherwise(() -> body.set(9))));
        assertEquals(9, body.get());
        assertEquals(1, select(otherwise(null), recv(b, got::set)));
        assertEquals(1, got.get());
    }

    @Test
    void otherwiseAtMostOnceAndCasesNonNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> select(otherwise(null), otherwise(null)));
        assertTrue(e.getMessage().contains("multiple defaults"));
        assertThrows(NullPointerException.class, () -> select(otherwise(null), null));
        assertThrows(IllegalArgumentException.class, () -> select(new Select.Case() { }));
        assertThrows(IllegalArgumentException.class, () -> recv(new Foreign(), v -> { }));
    }

    /** A RecvChan that is not a goloom channel. */
    private static final class Foreign implements RecvChan<Integer> {
        public Integer recv() {
            return null;
        }

        public Recv<Integer> recvOk() {
            return null;
        }

        public Recv<Integer> tryRecv() {
            return null;
        }

        public int len() {
            return 0;
        }

        public int cap() {
            return 0;
        }
    }

    @Test
    void nonblockSelectRace() {
        // chan_test.go TestNonblockSelectRace and ...Race2: at every moment one of c1, c2 is
        // ready, so a select with default over both must never take the default. This is what
        // locking every channel of the select at once guarantees.
        for (int variant = 0; variant < 2; variant++) {
            for (int i = 0; i < 2_000; i++) {
                Chan<Integer> c1 = Chan.make(1);
                Chan<Integer> c2 = Chan.make(1);
                c1.send(1);
                AtomicBoolean ready = new AtomicBoolean();
                Thread t = start(() -> ready.set(select(recv(c1, v -> { }), recv(c2, v -> { }), otherwise(null)) != 2));
                if (variant == 0) {
                    c2.send(1);
                } else {
                    c2.close();
                }
                select(recv(c1, v -> { }), otherwise(null));
                join(t);
                assertTrue(ready.get(), "no chan is ready");
            }
        }
    }

    @Test
    void sendValuesAreEvaluatedOnceWhenTheCaseIsBuilt() {
        // test/chan/sendstmt.go and the spec: channel and value expressions of a select are
        // evaluated exactly once, on entering the select, whether or not their case is chosen.
        AtomicInteger evaluated = new AtomicInteger();
        Chan<Integer> never = Chan.make();
        Chan<Integer> ready = Chan.make(1);
        assertEquals(1, select(send(never, evaluated.incrementAndGet(), null), send(ready, evaluated.incrementAndGet(), null)));
        assertEquals(2, evaluated.get());
        assertEquals(2, ready.recv());
    }

    // --------------------------------------------------------------- nil and closed channels (select3.go)

    @Test
    void nilChannelsAreNeverReady() {
        Chan<Integer> nil = null;
        Chan<Integer> ready = Chan.make(1);
        ready.send(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, select(recv(nil, v -> { }), recv(ready, v -> ready.send(v)), send(nil, 1, null)));
        }
        assertEquals(2, select(recv(nil, v -> { }), send(nil, 1, null), otherwise(null)));
        assertEquals(1, select(recv(nil, v -> { }), otherwise(null)));
    }

    @Test
    void nilOnlySelectBlocksUntilInterrupted() {
        for (int variant = 0; variant < 3; variant++) {
            int v = variant;
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = start(() -> {
                try {
                    switch (v) {
                        case 0 -> select(recv(null, x -> { }), send(null, 1, null));
                        case 1 -> select(recv(null, x -> { }));
                        default -> select();
                    }
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            awaitParked(t);
            t.interrupt();
            join(t);
            assertTrue(thrown.get() instanceof GoInterruptedException, String.valueOf(thrown.get()));
        }
    }

    @Test
    void closedChannelIsAlwaysReadyToReceive() {
        Chan<Integer> c = Chan.make();
        c.close();
        AtomicReference<String> got = new AtomicReference<>();
        Chan<Integer> never = Chan.make();
        assertEquals(1, select(recv(never, v -> { }), recvOk(c, (v, ok) -> got.set(v + "/" + ok))));
        assertEquals("null/false", got.get());
        assertEquals(0, select(recv(c, v -> got.set("v=" + v)), otherwise(null)));
        assertEquals("v=null", got.get());
    }

    @Test
    void sendCaseOnClosedChannelThrows() {
        Chan<Integer> c = Chan.make();
        c.close();
        Chan<Integer> never = Chan.make();
        ChanClosedException e = assertThrows(ChanClosedException.class,
                () -> select(send(c, 1, null), recv(never, v -> { })));
        assertEquals("send on closed channel", e.getMessage());
        // blocked in a select when the channel is closed
        Chan<Integer> d = Chan.make();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = start(() -> {
            try {
                select(send(d, 1, null), recv(never, v -> { }));
            } catch (Throwable x) {
                thrown.set(x);
            }
        });
        awaitParked(t);
        d.close();
        join(t);
        assertTrue(thrown.get() instanceof ChanClosedException);
        assertEquals(0, WhiteBox.waiters(never));
    }

    // --------------------------------------------------------------- blocking

    @Test
    void blockedSelectIsWokenByAnyCaseAndLeavesNoWaiter() {
        // select2.go (no growth) and "select leaves no waiter behind": many rounds of a blocked
        // 3-way select woken by one of its channels; after each round no sudog remains.
        Chan<Integer> a = Chan.make();
        Chan<Integer> b = Chan.make(1);
        Chan<Integer> c = Chan.make();
        Chan<Integer> out = Chan.make(1);
        int rounds = 20_000;
        Thread sel = start(() -> {
            for (int i = 0; i < rounds; i++) {
                select(recv(a, v -> out.send(v)), recv(b, v -> out.send(v)), send(c, i, () -> out.send(-1)));
            }
        });
        int fromC = 0;
        for (int i = 0; i < rounds; i++) {
            switch (i % 3) {
                case 0 -> a.send(i);
                case 1 -> b.send(i);
                default -> {
                    c.recv();
                    fromC++;
                }
            }
            int v = out.recv();
            assertEquals(i % 3 == 2 ? -1 : i, v);
        }
        join(sel);
        for (Chan<Integer> ch : List.of(a, b, c)) {
            WhiteBox.checkInvariants(ch);
            assertEquals(0, WhiteBox.waiters(ch), "a select left a waiter behind on " + ch);
        }
        assertEquals(rounds / 3, fromC);
    }

    @Test
    void sameChannelTwiceInOneSelect() {
        // chan_test.go TestSelectDuplicateChannel and both directions on one channel.
        Chan<Integer> c = Chan.make();
        int[] counts = new int[2];
        Thread s = start(() -> {
            for (int i = 0; i < 2_000; i++) {
                c.send(i);
            }
        });
        for (int i = 0; i < 2_000; i++) {
            counts[select(recv(c, v -> { }), recv(c, v -> { }))]++;
        }
        join(s);
        assertTrue(counts[0] > 0 && counts[1] > 0, counts[0] + "/" + counts[1]);
        assertEquals(0, WhiteBox.waiters(c));

        // TestSelfSelect: two goroutines each select {send c, recv c} on one unbuffered channel
        for (int cap : new int[] {0, 10}) {
            Chan<Integer> d = Chan.make(cap);
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int me = p;
                ts.add(start(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        if (me == 0 || i % 2 == 0) {
                            select(send(d, me, null), recv(d, v -> {
                                if (cap == 0 && v == me) {
                                    throw new AssertionError("self receive");
                                }
                            }));
                        } else {
                            select(recv(d, v -> {
                                if (cap == 0 && v == me) {
                                    throw new AssertionError("self receive");
                                }
                            }), send(d, me, null));
                        }
                    }
                }));
            }
            ts.forEach(ChanTesting::join);
            WhiteBox.checkInvariants(d);
        }
    }

    @Test
    void largeSelectsAndOneChannelManyTimes() {
        // 1,000 distinct channels (the heap-sort lock order), then one channel in 100 cases.
        List<Select.Case> cases = new ArrayList<>();
        List<Chan<Integer>> cs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Chan<Integer> c = Chan.make();
            cs.add(c);
            cases.add(recv(c, v -> { }));
        }
        for (int round = 0; round < 20; round++) {
            int k = (round * 37) % cs.size();
            Thread s = start(() -> cs.get(k).send(k));
            assertEquals(k, select(cases));
            join(s);
        }
        for (Chan<Integer> c : cs) {
            assertEquals(0, WhiteBox.waiters(c));
        }
        Chan<Integer> one = Chan.make();
        List<Select.Case> same = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            same.add(i % 2 == 0 ? recv(one, v -> { }) : send(one, i, null));
        }
        Thread s = start(() -> one.send(-1));
        int i = select(same);
        join(s);
        assertEquals(0, i % 2, "only a receive case can pair with the sender");
        assertEquals(0, WhiteBox.waiters(one));
        WhiteBox.checkInvariants(one);
    }

    @Test
    void hasWaitersSeesReceiversAloneOrInASelect() {
        // the time package's question: is a goroutine waiting to receive from this channel?
        Chan<Integer> c = Chan.make();
        Chan<Integer> other = Chan.make();
        assertFalse(WhiteBox.hasWaiters(c));
        Thread sender = start(() -> c.send(1));
        awaitParked(sender);
        assertFalse(WhiteBox.hasWaiters(c), "a blocked sender is not a receiver");
        assertEquals(1, c.recv());
        join(sender);
        Thread sel = start(() -> select(recv(other, v -> { }), recv(c, v -> { })));
        awaitParked(sel);
        assertTrue(WhiteBox.hasWaiters(c));
        assertTrue(WhiteBox.hasWaiters(other));
        other.send(2);
        join(sel);
        assertFalse(WhiteBox.hasWaiters(c), "the select left no receiver behind");
        assertEquals(0, WhiteBox.waiters(c));
    }

    @Test
    void doubleSelect() {
        // test/chan/doubleselect.go: one sender selects over four channels, four forwarders
        // feed one channel; every value arrives exactly once.
        int n = 20_000;
        List<Chan<Integer>> cs = List.of(Chan.make(), Chan.make(), Chan.make(), Chan.make());
        Chan<Integer> merged = Chan.make();
        Thread sender = start(() -> {
            for (int i = 0; i < n; i++) {
                select(send(cs.get(0), i, null), send(cs.get(1), i, null),
                        send(cs.get(2), i, null), send(cs.get(3), i, null));
            }
            cs.forEach(Chan::close);
        });
        AtomicInteger live = new AtomicInteger(4);
        List<Thread> fw = new ArrayList<>();
        for (Chan<Integer> c : cs) {
            fw.add(start(() -> {
                for (int v : c) {
                    merged.send(v);
                }
                if (live.decrementAndGet() == 0) {
                    merged.close();
                }
            }));
        }
        boolean[] seen = new boolean[n];
        for (int v : merged) {
            assertFalse(seen[v], "duplicate " + v);
            seen[v] = true;
        }
        join(sender);
        fw.forEach(ChanTesting::join);
        for (int i = 0; i < n; i++) {
            assertTrue(seen[i], "lost " + i);
        }
    }

    @Test
    void select6QueuesOfFailedCasesStayIntact() {
        // test/chan/select6.go (Go issue 2075): a select that fails on c1 while others wait on
        // c1 must not corrupt c1's queue.
        for (int round = 0; round < 200; round++) {
            Chan<Boolean> c1 = Chan.make();
            Chan<Boolean> c2 = Chan.make();
            Chan<Boolean> c3 = Chan.make();
            Thread t1 = start(c1::recv);
            Thread t2 = start(() -> {
                select(recv(c1, v -> {
                    throw new AssertionError("dummy");
                }), recv(c2, v -> c3.send(true)));
                c1.recv();
            });
            Thread t3 = start(() -> c2.send(true));
            c3.recv();
            c1.send(true);
            c1.send(true);
            join(t1);
            join(t2);
            join(t3);
            WhiteBox.checkInvariants(c1);
            assertEquals(0, WhiteBox.waiters(c1));
        }
    }

    @Test
    void select7ReceiveForms() {
        // test/chan/select7.go: a receive in each form of select, from a sending goroutine.
        Chan<Integer> c = Chan.make();
        Thread s = start(() -> {
            for (int i = 0; i < 4; i++) {
                c.send(i);
            }
        });
        AtomicReference<Integer> got = new AtomicReference<>();
        Chan<Integer> nil = null;
        select(recv(c, got::set));                                   // recv1
        assertEquals(0, got.get());
        select(recv(c, got::set), recv(nil, v -> { }));              // recv2
        assertEquals(1, got.get());
        Chan<Integer> dummy = Chan.make();
        select(recv(c, got::set), send(dummy, 1, null));             // recv3
        assertEquals(2, got.get());
        AtomicBoolean okSeen = new AtomicBoolean();
        select(recvOk(c, (v, ok) -> {
            got.set(v);
            okSeen.set(ok);
        }), recv(dummy, v -> { }));
        assertEquals(3, got.get());
        assertTrue(okSeen.get());
        join(s);
        assertEquals(0, WhiteBox.waiters(dummy));
    }

    @Test
    void afterIsATimerCase() {
        Chan<Integer> never = Chan.make();
        long t0 = System.nanoTime();
        assertEquals(1, select(recv(never, v -> { }), after(Duration.ofMillis(30), null)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(30).toNanos());
        assertEquals(0, select(after(Duration.ZERO, null), recv(never, v -> { })));
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(0, select(after(Duration.ofMillis(-5), () -> ran.set(true))));
        assertTrue(ran.get());
        // a ready channel beats a long timer
        Chan<Integer> ready = Chan.make(1);
        ready.send(1);
        assertEquals(1, select(after(Duration.ofHours(1), null), recv(ready, v -> { })));
        assertEquals(0, WhiteBox.waiters(never));
    }

    @Test
    void bodyExceptionsPropagateAfterTheSelectCompleted() {
        Chan<Integer> c = Chan.make(1);
        c.send(1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> select(recv(c, v -> {
                    throw new IllegalStateException("body " + v);
                }), otherwise(null)));
        assertEquals("body 1", e.getMessage());
        assertEquals(0, c.len(), "the receive happened before the body ran");
    }

    @Test
    void listOverload() {
        Chan<Integer> c = Chan.make(1);
        c.send(3);
        AtomicInteger got = new AtomicInteger();
        assertEquals(1, select(List.of(otherwise(null), recv(c, got::set))));
        assertEquals(3, got.get());
    }

    // --------------------------------------------------------------- interrupts

    @Test
    void interruptedSelectThrowsAndLeavesNoWaiter() {
        Chan<Integer> a = Chan.make();
        Chan<Integer> b = Chan.make();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        Thread t = start(() -> {
            try {
                select(recv(a, v -> { }), send(b, 1, null));
            } catch (Throwable x) {
                thrown.set(x);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitParked(t);
        assertEquals(1, WhiteBox.waiters(a));
        t.interrupt();
        join(t);
        assertTrue(thrown.get() instanceof GoInterruptedException);
        assertTrue(flag.get(), "the interrupt flag must stay set");
        assertEquals(0, WhiteBox.waiters(a));
        assertEquals(0, WhiteBox.waiters(b));
        assertNull(b.tryRecv(), "an interrupted select must not have sent");
    }

    @Test
    void interruptRacingAHandOffDeliversExactlyOnce() {
        int rounds = 2_000;
        int delivered = 0;
        int interrupted = 0;
        for (int i = 0; i < rounds; i++) {
            Chan<Integer> a = Chan.make();
            Chan<Integer> b = Chan.make();
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread t = start(() -> {
                try {
                    AtomicReference<Integer> got = new AtomicReference<>();
                    select(recv(a, got::set), recv(b, v -> { }));
                    outcome.set(got.get());
                } catch (GoInterruptedException e) {
                    outcome.set(e);
                }
            });
            awaitParked(t);
            Thread intr = start(t::interrupt);
            boolean sent = a.trySend(i);
            join(intr);
            join(t);
            if (sent) {
                assertEquals(i, outcome.get(), "trySend succeeded but the select did not get the value");
                delivered++;
            } else {
                assertTrue(outcome.get() instanceof GoInterruptedException, String.valueOf(outcome.get()));
                interrupted++;
            }
            assertEquals(0, WhiteBox.waiters(a));
            assertEquals(0, WhiteBox.waiters(b));
        }
        assertEquals(rounds, delivered + interrupted);
    }

    // --------------------------------------------------------------- deadlock detection

    @Test
    void blockedChannelOperationsCountTowardDeadlock() {
        List<Task> bodies = List.of(
                () -> select(),
                () -> Chan.make().recv(),
                () -> Chan.make().send(1),
                () -> select(recv(Chan.make(), v -> { }), send(Chan.make(), 1, null)),
                () -> select(recv(null, v -> { })));
        List<String> reasons = List.of("[select (no cases)", "[chan receive", "[chan send", "[select",
                "[chan receive (nil chan)");
        for (int i = 0; i < bodies.size(); i++) {
            Task body = bodies.get(i);
            AtomicReference<Thread> main = new AtomicReference<>();
            try (GoRuntime rt = GoRuntime.builder().maxProcs(1).name("deadlock").build()) {
                DeadlockError e = assertThrows(DeadlockError.class, () -> rt.main(quietly(() -> {
                    main.set(Thread.currentThread());
                    try {
                        body.run();
                    } catch (RuntimeException x) {
                        throw x;
                    } catch (Exception x) {
                        throw new AssertionError(x);
                    }
                })));
                assertTrue(e.getMessage().startsWith("all goroutines are asleep - deadlock!"), e.getMessage());
                assertTrue(e.getMessage().contains(reasons.get(i)), e.getMessage());
                main.get().interrupt();
                join(main.get());
            }
        }
    }

    @Test
    void aPendingTimerCaseIsNotADeadlock() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(1).name("timer").build()) {
            AtomicInteger chosen = new AtomicInteger(-1);
            rt.main(() -> chosen.set(select(recv(Chan.make(), v -> { }), after(Duration.ofMillis(400), null))));
            assertEquals(1, chosen.get());
        }
    }

    // --------------------------------------------------------------- wait reasons

    /** A goroutine body that ends quietly when interrupted. */
    private static Task quietly(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (GoInterruptedException expected) {
                // the test ends the goroutine this way
            }
        };
    }

    @Test
    void blockedSelectsRecordGoWaitReasons() {
        try (GoRuntime rt = GoRuntime.builder().maxProcs(1).name("reasons").build()) {
            Chan<Integer> a = Chan.make();
            Chan<Integer> b = Chan.make();
            Chan<Integer> c = Chan.make();
            Chan<Integer> d = Chan.make();
            List<Goroutine> gs = new ArrayList<>();
            gs.add(rt.go("sel", quietly(() -> select(recv(a, v -> { }), recv(b, v -> { })))));
            gs.add(rt.go("empty", quietly(() -> select())));
            gs.add(rt.go("nilsend", quietly(() -> select(send(null, 1, null)))));
            gs.add(rt.go("nilrecv", quietly(() -> select(recv(null, v -> { })))));
            gs.add(rt.go("send", quietly(() -> c.send(1))));
            gs.add(rt.go("recv", quietly(() -> d.recv())));
            List<String> want = List.of("select", "select (no cases)", "chan send (nil chan)",
                    "chan receive (nil chan)", "chan send", "chan receive");
            try {
                List<String> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!got.equals(want) && System.nanoTime() < deadline) {
                    got.clear();
                    for (Goroutine g : gs) {
                        got.add(rt.goroutines().stream().filter(i -> i.id() == g.id())
                                .map(GoroutineInfo::waitReason).findFirst().orElse(null));
                    }
                    Thread.sleep(1);
                }
                assertEquals(want, got);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                for (Goroutine g : gs) {
                    ((G) g).thread().interrupt();
                }
                for (Goroutine g : gs) {
                    join(((G) g).thread());
                }
            }
        }
    }
}
