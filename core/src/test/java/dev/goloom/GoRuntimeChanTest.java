package dev.goloom;

import static dev.goloom.GoChanProgramsTest.awaitBlocked;
import static dev.goloom.Select.otherwise;
import static dev.goloom.Select.recv;
import static dev.goloom.Select.recvOk;
import static dev.goloom.Select.select;
import static dev.goloom.Select.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.chan.WhiteBox;
import dev.goloom.testing.GoTestSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ports of Go's src/runtime/chan_test.go and chanbarrier_test.go tests that ChanTest and
 * SelectTest did not port in full, at Go's -short sizes (GoChanProgramsStressTest runs the full
 * sizes). Go's time.Sleep "so that the goroutine blocks" becomes a wait for the goroutine's
 * wait reason, which is exact; runtime.GC becomes System.gc().
 */
@Timeout(120)
class GoRuntimeChanTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    // --------------------------------------------------------------- TestChan

    /** TestChan's body for one capacity. */
    static void testChan(GoRuntime rt, int chanCap) {
        String at = "chan[" + chanCap + "]";
        {
            // receive from an empty channel blocks; non-blocking receives do not
            Chan<Integer> c = Chan.make(chanCap);
            AtomicBoolean recv1 = new AtomicBoolean();
            AtomicBoolean recv2 = new AtomicBoolean();
            Chan<Void> done = Chan.make(2);
            Goroutine g1 = rt.go(() -> {
                c.recv();
                recv1.set(true);
                done.send(null);
            });
            Goroutine g2 = rt.go(() -> {
                c.recvOk();
                recv2.set(true);
                done.send(null);
            });
            awaitBlocked(rt, g1, "chan receive");
            awaitBlocked(rt, g2, "chan receive");
            assertFalse(recv1.get() || recv2.get(), at + ": receive from empty chan");
            assertEquals(1, select(recv(c, v -> { }), otherwise(null)), at + ": receive from empty chan");
            assertEquals(1, select(recvOk(c, (v, ok) -> { }), otherwise(null)), at + ": receive from empty chan");
            c.send(0);
            c.send(0);
            done.recv();
            done.recv();
        }
        {
            // send to a full channel blocks; a non-blocking send does not
            Chan<Integer> c = Chan.make(chanCap);
            for (int i = 0; i < chanCap; i++) {
                c.send(i);
            }
            AtomicBoolean sent = new AtomicBoolean();
            Chan<Void> done = Chan.make(1);
            Goroutine g = rt.go(() -> {
                c.send(0);
                sent.set(true);
                done.send(null);
            });
            awaitBlocked(rt, g, "chan send");
            assertFalse(sent.get(), at + ": send to full chan");
            assertEquals(1, select(send(c, 0, null), otherwise(null)), at + ": send to full chan");
            c.recv();
            done.recv();
            assertTrue(sent.get());
        }
        {
            // a closed channel yields its buffer, then zero values
            Chan<Integer> c = Chan.make(chanCap);
            for (int i = 0; i < chanCap; i++) {
                c.send(i);
            }
            c.close();
            for (int i = 0; i < chanCap; i++) {
                assertEquals(i, c.recv(), at);
            }
            assertNull(c.recv(), at);
            assertEquals(new Recv<Integer>(null, false), c.recvOk(), at);
        }
        {
            // close unblocks a receive
            Chan<Integer> c = Chan.make(chanCap);
            Chan<Boolean> done = Chan.make();
            Goroutine g = rt.go(() -> {
                Recv<Integer> r = c.recvOk();
                done.send(r.value() == null && !r.ok());
            });
            awaitBlocked(rt, g, "chan receive");
            c.close();
            assertTrue(done.recv(), at + ": received non zero from closed chan");
        }
        {
            // 100 integers in FIFO order, with recv and with recvOk
            Chan<Integer> c = Chan.make(chanCap);
            rt.go(() -> {
                for (int i = 0; i < 100; i++) {
                    c.send(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertEquals(i, c.recv(), at);
            }
            rt.go(() -> {
                for (int i = 0; i < 100; i++) {
                    c.send(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertEquals(new Recv<>(i, true), c.recvOk(), at);
            }
            // 1000 integers from each of 4 goroutines, received by 4: each value 4 times
            int p = 4;
            int l = 1000;
            for (int k = 0; k < p; k++) {
                rt.go(() -> {
                    for (int i = 0; i < l; i++) {
                        c.send(i);
                    }
                });
            }
            Chan<Map<Integer, Integer>> done = Chan.make();
            for (int k = 0; k < p; k++) {
                rt.go(() -> {
                    Map<Integer, Integer> got = new HashMap<>();
                    for (int i = 0; i < l; i++) {
                        got.merge(c.recv(), 1, Integer::sum);
                    }
                    done.send(got);
                });
            }
            Map<Integer, Integer> all = new HashMap<>();
            for (int k = 0; k < p; k++) {
                done.recv().forEach((v, n) -> all.merge(v, n, Integer::sum));
            }
            assertEquals(l, all.size(), at + ": received values");
            all.forEach((v, n) -> assertEquals(p, n, at + ": value " + v));
        }
        {
            Chan<Integer> c = Chan.make(chanCap);
            assertEquals(0, c.len(), at);
            assertEquals(chanCap, c.cap(), at);
            for (int i = 0; i < chanCap; i++) {
                c.send(i);
            }
            assertEquals(chanCap, c.len(), at);
            assertEquals(chanCap, c.cap(), at);
        }
    }

    @Test
    void testChan() {
        GoRuntime rt = t.runtime(4);
        for (int chanCap = 0; chanCap < 20; chanCap++) {
            testChan(rt, chanCap);
        }
    }

    // --------------------------------------------------------------- TestSelectStress

    /** 4 senders, 4 receivers, one select-sender and one select-receiver over 4 channels. */
    static void selectStress(GoRuntime rt, int n) {
        List<Chan<Integer>> c = List.of(Chan.make(), Chan.make(), Chan.make(2), Chan.make(3));
        Chan<Void> done = Chan.make(10);
        for (int k = 0; k < 4; k++) {
            Chan<Integer> ck = c.get(k);
            rt.go(() -> {
                for (int i = 0; i < n; i++) {
                    ck.send(0);
                }
                done.send(null);
            });
            rt.go(() -> {
                for (int i = 0; i < n; i++) {
                    ck.recv();
                }
                done.send(null);
            });
        }
        rt.go(() -> {
            int[] cnt = new int[4];
            List<Chan<Integer>> c1 = new ArrayList<>(c);
            for (int i = 0; i < 4 * n; i++) {
                int k = select(send(c1.get(3), 0, null), send(c1.get(2), 0, null), send(c1.get(0), 0, null),
                        send(c1.get(1), 0, null));
                int ch = new int[] {3, 2, 0, 1}[k];
                if (++cnt[ch] == n) {
                    c1.set(ch, null);
                }
            }
            done.send(null);
        });
        rt.go(() -> {
            int[] cnt = new int[4];
            List<Chan<Integer>> c1 = new ArrayList<>(c);
            for (int i = 0; i < 4 * n; i++) {
                int k = select(recv(c1.get(0), v -> { }), recv(c1.get(1), v -> { }), recv(c1.get(2), v -> { }),
                        recv(c1.get(3), v -> { }));
                if (++cnt[k] == n) {
                    c1.set(k, null);
                }
            }
            done.send(null);
        });
        for (int i = 0; i < 10; i++) {
            done.recv();
        }
        for (Chan<Integer> ch : c) {
            assertEquals(0, ch.len());
            assertEquals(0, WhiteBox.waiters(ch));
        }
    }

    @Test
    void selectStress() {
        selectStress(t.runtime(4), 10_000);
    }

    // --------------------------------------------------------------- mass close

    /**
     * Not a Go port: a close with more waiters than closechan readies after its unlock (it
     * readies the rest under the lock, so that it allocates nothing in proportion to them).
     * Every waiter, plain receive, select or send (each close has more than a batch of waiters),
     * wakes exactly once with the close's outcome, and the selects leave the other channel's
     * queue empty.
     */
    @Test
    void massCloseWakesEveryWaiterOnce() {
        GoRuntime rt = t.runtime(2);
        for (int round = 0; round < 20; round++) {
            int n = 150;                                  // 50 of each kind
            Chan<Integer> c = Chan.make();                // receivers and selects: 100 waiters
            Chan<Integer> full = Chan.make(1);            // senders: 50 waiters
            full.send(0);
            Chan<Integer> other = Chan.make();
            AtomicInteger closedRecvs = new AtomicInteger();
            AtomicInteger closedSelects = new AtomicInteger();
            AtomicInteger closedSends = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            rt.main(() -> {
                dev.goloom.sync.WaitGroup wg = new dev.goloom.sync.WaitGroup();
                for (int i = 0; i < n; i++) {
                    int kind = i % 3;
                    wg.go(() -> {
                        if (kind == 0) {
                            Recv<Integer> r = c.recvOk();
                            (r.ok() ? wrong : closedRecvs).incrementAndGet();
                        } else if (kind == 1) {
                            select(recvOk(c, (v, ok) -> (ok ? wrong : closedSelects).incrementAndGet()),
                                    recv(other, v -> wrong.incrementAndGet()));
                        } else {
                            try {
                                full.send(1);
                                wrong.incrementAndGet();
                            } catch (ChanClosedException e) {
                                closedSends.incrementAndGet();
                            }
                        }
                    });
                }
                // every one of them queued (a select's sudog counts on c once)
                assertTrue(GoTestSupport.awaitCondition(GoTestSupport.LONG_DELAY,
                        () -> WhiteBox.waiters(c) == 2 * n / 3 && WhiteBox.waiters(full) == n / 3),
                        () -> "waiters on c: " + WhiteBox.waiters(c) + ", on full: " + WhiteBox.waiters(full));
                c.close();
                full.close();
                wg.await();
                assertEquals(new Recv<>(0, true), full.recvOk());   // the buffered value survives
            });
            assertEquals(0, wrong.get());
            assertEquals(n / 3, closedRecvs.get());
            assertEquals(n / 3, closedSelects.get());
            assertEquals(n / 3, closedSends.get());
            for (Chan<Integer> ch : List.of(c, full, other)) {
                assertEquals(0, WhiteBox.waiters(ch));
                WhiteBox.checkInvariants(ch);
            }
        }
    }

    // --------------------------------------------------------------- TestSelectFairness

    @Test
    void selectFairness() {
        // Two always-ready cases among four (two never ready): about half each, within 10 sigma.
        int trials = 10_000;
        GoRuntime rt = t.runtime(2);
        Chan<Integer> c1 = Chan.make(trials + 1);
        Chan<Integer> c2 = Chan.make(trials + 1);
        for (int i = 0; i < trials + 1; i++) {
            c1.send(1);
            c2.send(2);
        }
        Chan<Integer> c3 = Chan.make();
        Chan<Integer> c4 = Chan.make();
        Chan<Integer> out = Chan.make();
        Chan<Void> done = Chan.make();
        Chan<Void> ended = Chan.make(1);
        rt.go(() -> {
            for (;;) {
                int[] b = {0};
                select(recv(c3, v -> b[0] = v), recv(c4, v -> b[0] = v), recv(c1, v -> b[0] = v),
                        recv(c2, v -> b[0] = v));
                if (select(send(out, b[0], null), recv(done, v -> { })) == 1) {
                    break;
                }
            }
            ended.send(null);
        });
        int cnt1 = 0;
        int cnt2 = 0;
        for (int i = 0; i < trials; i++) {
            int b = out.recv();
            switch (b) {
                case 1 -> cnt1++;
                case 2 -> cnt2++;
                default -> throw new AssertionError("unexpected value " + b + " on channel");
            }
        }
        double mean = trials * 0.5;
        double stddev = Math.sqrt(trials * 0.5 * (1 - 0.5));
        assertTrue(Math.abs(cnt1 - mean) <= 10 * stddev,
                "unfair select: in " + trials + " trials, results were " + cnt1 + ", " + cnt2);
        done.close();
        ended.recv();
    }

    // --------------------------------------------------------------- TestChanSendInterface

    @Test
    void chanSendInterface() {
        Object m = new Object();
        Chan<Object> c = Chan.make(1);
        c.send(m);
        assertEquals(1, select(send(c, m, null), otherwise(null)));
        assertEquals(2, select(send(c, m, null), send(c, new Object(), null), otherwise(null)));
        assertTrue(c.recv() == m);
    }

    // --------------------------------------------------------------- TestPseudoRandomSend

    @Test
    void pseudoRandomSend() {
        int n = 100;
        GoRuntime rt = t.runtime(2);
        for (int chanCap : new int[] {0, n}) {
            Chan<Integer> c = Chan.make(chanCap);
            int[] l = new int[n];
            Chan<Void> done = Chan.make(1);
            rt.go(() -> {
                for (int i = 0; i < n; i++) {
                    Go.gosched();
                    l[i] = c.recv();
                }
                done.send(null);
            });
            for (int i = 0; i < n; i++) {
                select(send(c, 1, null), send(c, 0, null));
            }
            done.recv();
            int n0 = 0;
            int n1 = 0;
            for (int i : l) {
                n0 += (i + 1) % 2;
                n1 += i;
            }
            assertTrue(n0 > n / 10 && n1 > n / 10,
                    "want pseudorandom, got " + n0 + " zeros and " + n1 + " ones (chan cap " + chanCap + ")");
        }
    }

    // --------------------------------------------------------------- TestMultiConsumer

    static void multiConsumer(GoRuntime rt, int niter) {
        int nwork = 23;
        int[] pn = {2, 3, 7, 11, 13, 17, 19, 23, 27, 31};
        Chan<Integer> q = Chan.make(nwork * 3);
        Chan<Integer> r = Chan.make(nwork * 3);
        AtomicInteger workers = new AtomicInteger(nwork);
        for (int i = 0; i < nwork; i++) {
            int w = i;
            rt.go(() -> {
                for (int v : q) {
                    if (pn[w % pn.length] == v) {
                        Go.gosched();           // mess with the fifo-ish nature of range
                    }
                    r.send(v);
                }
                if (workers.decrementAndGet() == 0) {
                    r.close();                  // no more results
                }
            });
        }
        long expect = 0;
        for (int i = 0; i < niter; i++) {
            expect += pn[i % pn.length];
        }
        rt.go(() -> {
            for (int i = 0; i < niter; i++) {
                q.send(pn[i % pn.length]);
            }
            q.close();
        });
        long n = 0;
        long s = 0;
        for (int v : r) {
            n++;
            s += v;
        }
        assertEquals(niter, n, "results");
        assertEquals(expect, s, "sum");
    }

    @Test
    void multiConsumer() {
        multiConsumer(t.runtime(2), 271_828);
    }

    // --------------------------------------------------------------- stack tests

    /** Uses a lot of stack, briefly (Go's stackGrowthRecursive). */
    static long stackGrowthRecursive(int i) {
        long[] pad = new long[16];
        pad[i % 16] = i;
        if (i == 0) {
            return pad[0];
        }
        return stackGrowthRecursive(i - 1) + pad[i % 16];
    }

    @Test
    void shrinkStackDuringBlockedSend() {
        // Channel operations keep working when GC runs while a goroutine that just used a deep
        // stack is parked in a send (Loom keeps a parked goroutine's frames in heap chunks that
        // the GC scans and may compact).
        int n = 10;
        GoRuntime rt = t.runtime(2);
        Chan<Integer> c = Chan.make();
        Chan<Void> done = Chan.make();
        Goroutine g = rt.go(() -> {
            for (int i = 0; i < n; i++) {
                c.send(i);
                stackGrowthRecursive(200);
            }
            done.send(null);
        });
        for (int i = 0; i < n; i++) {
            assertEquals(i, c.recv(), "bad channel read");
            if (i < n - 1) {
                awaitBlocked(rt, g, "chan send");
            }
            System.gc();
        }
        done.recv();
    }

    @Test
    void noShrinkStackWhileParking() {
        int n = 10;
        GoRuntime rt = t.runtime(2);
        for (int round = 0; round < 10; round++) {
            Chan<Integer> c = Chan.make();
            Chan<Void> done = Chan.make();
            AtomicLong sum = new AtomicLong();
            rt.go(() -> {
                for (int i = 0; i < n; i++) {
                    Go.gosched();           // so that the sender always fully blocks
                    sum.addAndGet(c.recv());
                }
                done.send(null);
            });
            rt.go(() -> {
                for (int i = 0; i < n; i++) {
                    c.send(i);
                    stackGrowthRecursive(200);
                }
                done.send(null);
            });
            System.gc();
            done.recv();
            done.recv();
            assertEquals(n * (n - 1) / 2, sum.get());
        }
    }

    @Test
    void selectStackAdjust() {
        // Locals of a goroutine blocked in a select survive a GC: the receive targets and what
        // they point to are intact when the select wakes.
        GoRuntime rt = t.runtime(2);
        Chan<int[]> c = Chan.make();
        Chan<int[]> d = Chan.make();
        Chan<Boolean> ready1 = Chan.make();
        Chan<Boolean> ready2 = Chan.make();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Goroutine> gs = new ArrayList<>();
        for (boolean dup : new boolean[] {false, true}) {
            Chan<Boolean> ready = dup ? ready2 : ready1;
            gs.add(rt.go(() -> {
                stackGrowthRecursive(100);
                ready.send(true);
                int[] val = {42};
                int[][] cx = {val};
                Chan<int[]> c2 = dup ? c : null;
                Chan<int[]> d2 = dup ? d : null;
                select(recv(c, v -> cx[0] = v), recv(c2, v -> { }), recv(d, v -> { }), recv(d2, v -> { }));
                if (cx[0] != val) {
                    errors.add("cx no longer points to val");
                } else if (val[0] != 42) {
                    errors.add("val changed");
                } else {
                    cx[0][0] = 43;
                    if (val[0] != 43) {
                        errors.add("changing *cx failed to change val");
                    }
                }
                ready.send(true);
            }));
        }
        ready1.recv();
        ready2.recv();
        for (Goroutine g : gs) {
            awaitBlocked(rt, g, "select");
        }
        System.gc();
        d.close();
        ready1.recv();
        ready2.recv();
        assertEquals(List.of(), errors);
    }

    // --------------------------------------------------------------- TestSelectDuplicateChannel

    @Test
    void selectDuplicateChannel() {
        // A goroutine queued twice on c (and on d) is woken by d and must leave c's queue intact:
        // the receiver queued on c after it is the one c's send wakes.
        GoRuntime rt = t.runtime(2);
        Chan<Integer> c = Chan.make();
        Chan<Integer> d = Chan.make();
        Chan<Integer> e = Chan.make();
        Chan<Integer> gotB = Chan.make(1);
        Goroutine a = rt.go(() -> {
            select(recv(c, v -> { }), recv(c, v -> { }), recv(d, v -> { }));
            e.send(9);
        });
        awaitBlocked(rt, a, "select");       // A is queued first on c (twice)
        Goroutine b = rt.go(() -> gotB.send(c.recv()));
        awaitBlocked(rt, b, "chan receive"); // then B
        assertEquals(3, WhiteBox.waiters(c), "A twice and B on c");
        assertEquals(1, WhiteBox.waiters(d), "A on d");
        d.send(7);                           // wakes A, which dequeues itself from c
        assertEquals(9, e.recv());
        assertEquals(1, WhiteBox.waiters(c), "only B is left on c");
        c.send(8);                           // wakes B
        assertEquals(8, gotB.recv());
        WhiteBox.checkInvariants(c);
    }

    // --------------------------------------------------------------- chanbarrier_test.go

    private record Response() {
    }

    private static final class MyError extends RuntimeException {
        MyError() {
            super("", null, false, false);
        }
    }

    private record Async(Response resp, RuntimeException err) {
    }

    /** One request: a goroutine sends a fresh value (through a select, or plainly) to a receiver. */
    private static Async doRequest(GoRuntime rt, boolean useSelect) {
        Chan<Async> ch = Chan.make();
        Chan<Void> done = Chan.make();
        if (useSelect) {
            rt.go(() -> select(send(ch, new Async(null, new MyError()), null), recv(done, v -> { })));
        } else {
            rt.go(() -> ch.send(new Async(null, new MyError())));
        }
        Async r = ch.recv();
        Go.gosched();
        return r;
    }

    static void chanSendBarrier(GoRuntime rt, boolean useSelect, int outer, int inner) {
        Chan<Void> wg = Chan.make(outer);
        AtomicInteger bad = new AtomicInteger();
        for (int i = 0; i < outer; i++) {
            rt.go(() -> {
                byte[] garbage = null;
                for (int j = 0; j < inner; j++) {
                    Async r = doRequest(rt, useSelect);
                    if (!(r.err() instanceof MyError)) {
                        bad.incrementAndGet();
                    }
                    garbage = new byte[1 << 10];
                }
                if (garbage.length != 1 << 10) {
                    bad.incrementAndGet();
                }
                wg.send(null);
            });
        }
        for (int i = 0; i < outer; i++) {
            wg.recv();
        }
        assertEquals(0, bad.get());
    }

    @Test
    void chanSendBarrier() {
        chanSendBarrier(t.runtime(2), false, 10, 1000);
    }

    @Test
    void chanSendSelectBarrier() {
        chanSendBarrier(t.runtime(2), true, 10, 1000);
    }
}
