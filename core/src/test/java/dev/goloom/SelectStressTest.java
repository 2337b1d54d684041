package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.internal.chan.WhiteBox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Selects racing selects and plain operations at GOMAXPROCS 1, 2 and 4: every value exactly
 * once, no waiter left behind. Sized by -Dgoloom.stress.multiplier.
 */
@Tag("stress")
class SelectStressTest {
    private static final int M = ChanTesting.multiplier();

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void selectSendersAndSelectReceivers(int procs) {
        int k = 4, producers = 8, consumers = 8, per = 3_000 * M;
        int total = producers * per;
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        List<Chan<Integer>> cs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            cs.add(Chan.make(i % 2 == 0 ? 0 : 4));
        }
        try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("select-stress").build()) {
            rt.main(() -> {
                Chan<Void> pdone = Chan.make(producers);
                Chan<Void> cdone = Chan.make(consumers);
                Chan<Void> quit = Chan.make();
                for (int p = 0; p < producers; p++) {
                    int base = p * per;
                    int mode = p;
                    rt.go(() -> {
                        for (int i = 0; i < per; i++) {
                            int v = base + i;
                            if (mode % 4 == 3) {
                                cs.get(i % k).send(v);  // plain sends mixed in
                            } else {
                                Select.select(Select.send(cs.get(0), v, null), Select.send(cs.get(1), v, null),
                                        Select.send(cs.get(2), v, null), Select.send(cs.get(3), v, null));
                            }
                        }
                        pdone.send(null);
                    });
                }
                for (int q = 0; q < consumers; q++) {
                    int mode = q;
                    rt.go(() -> {
                        boolean[] stop = {false};
                        while (!stop[0]) {
                            if (mode % 4 == 3) {
                                Select.select(Select.recv(cs.get(mode % k), v -> seen.incrementAndGet(v)),
                                        Select.recv(quit, v -> stop[0] = true));
                            } else {
                                Select.select(Select.recv(cs.get(0), v -> seen.incrementAndGet(v)),
                                        Select.recv(cs.get(1), v -> seen.incrementAndGet(v)),
                                        Select.recv(cs.get(2), v -> seen.incrementAndGet(v)),
                                        Select.recv(cs.get(3), v -> seen.incrementAndGet(v)),
                                        Select.recv(quit, v -> stop[0] = true));
                            }
                        }
                        cdone.send(null);
                    });
                }
                for (int p = 0; p < producers; p++) {
                    pdone.recv();
                }
                // every value sent has been taken (unbuffered) or sits in a buffer: drain those
                AtomicInteger waitFor = new AtomicInteger();
                for (;;) {
                    int sum = 0;
                    for (int i = 0; i < total; i++) {
                        sum += seen.get(i);
                    }
                    if (sum == total) {
                        break;
                    }
                    waitFor.incrementAndGet();
                    Go.gosched();
                }
                quit.close();
                for (int q = 0; q < consumers; q++) {
                    cdone.recv();
                }
            });
        }
        for (int i = 0; i < total; i++) {
            assertEquals(1, seen.get(i), "value " + i);
        }
        for (Chan<Integer> c : cs) {
            WhiteBox.checkInvariants(c);
            assertEquals(0, WhiteBox.waiters(c), "waiter left behind on " + c);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void selectsWithDefaultAndCloseRace(int procs) {
        for (int round = 0; round < 50 * M; round++) {
            AtomicInteger got = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            int cap = round % 2;
            try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("select-close").build()) {
                rt.main(() -> {
                    Chan<Integer> a = Chan.make(cap);
                    Chan<Integer> b = Chan.make();
                    Chan<Void> done = Chan.make(8);
                    for (int r = 0; r < 4; r++) {
                        rt.go(() -> {
                            boolean[] closed = {false};
                            while (!closed[0]) {
                                Select.select(Select.recvOk(a, (v, ok) -> {
                                    if (ok) {
                                        got.incrementAndGet();
                                    } else {
                                        closed[0] = true;
                                    }
                                }), Select.recv(b, v -> got.incrementAndGet()), Select.otherwise(Go::gosched));
                            }
                            done.send(null);
                        });
                    }
                    for (int s = 0; s < 4; s++) {
                        rt.go(() -> {
                            for (int i = 0; i < 100; i++) {
                                try {
                                    Select.select(Select.send(a, i, null), Select.send(b, i, null));
                                    sent.incrementAndGet();
                                } catch (ChanClosedException e) {
                                    break;
                                }
                            }
                            done.send(null);
                        });
                    }
                    for (int i = 0; i < 4; i++) {
                        done.recv();                     // the senders (receivers end only at close)
                    }
                    a.close();
                    for (int i = 0; i < 4; i++) {
                        done.recv();
                    }
                    WhiteBox.checkInvariants(a);
                    WhiteBox.checkInvariants(b);
                });
            }
            assertEquals(sent.get(), got.get());
        }
    }

    @org.junit.jupiter.api.Test
    void aMillionBlockedSelectsLeaveNothingBehind() {
        // The "a select loop run a million times must not grow the heap": every round
        // blocks on three channels and is woken by one; the others must be cleaned up each time.
        int rounds = 100_000 * M;
        Chan<Integer> a = Chan.make();
        Chan<Integer> b = Chan.make();
        Chan<Integer> c = Chan.make();
        long[] sum = {0};
        try (GoRuntime rt = GoRuntime.builder().maxProcs(2).name("select-loop").build()) {
            rt.main(() -> {
                Chan<Void> done = Chan.make(1);
                rt.go(() -> {
                    for (int i = 0; i < rounds; i++) {
                        (i % 3 == 0 ? a : i % 3 == 1 ? b : c).send(i);
                    }
                    done.send(null);
                });
                for (int i = 0; i < rounds; i++) {
                    Select.select(Select.recv(a, v -> sum[0] += v), Select.recv(b, v -> sum[0] += v),
                            Select.recv(c, v -> sum[0] += v));
                }
                done.recv();
            });
        }
        assertEquals((long) rounds * (rounds - 1) / 2, sum[0]);
        for (Chan<Integer> ch : List.of(a, b, c)) {
            WhiteBox.checkInvariants(ch);
            assertEquals(0, WhiteBox.waiters(ch), "waiter left behind on " + ch);
        }
    }
}
