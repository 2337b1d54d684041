package dev.goloom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goloom.internal.chan.WhiteBox;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many goroutines on one channel at GOMAXPROCS 1, 2 and 4: every value is received exactly
 * once. Sized by -Dgoloom.stress.multiplier.
 */
@Tag("stress")
class ChanStressTest {
    private static final int M = ChanTesting.multiplier();

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void everyValueExactlyOnce(int procs) {
        for (int cap : new int[] {0, 1, 16}) {
            int producers = 8, consumers = 8, per = 5_000 * M;
            int total = producers * per;
            AtomicIntegerArray seen = new AtomicIntegerArray(total);
            try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("chan-stress").build()) {
                rt.main(() -> {
                    Chan<Integer> c = Chan.make(cap);
                    Chan<Void> done = Chan.make(producers + consumers);
                    for (int p = 0; p < producers; p++) {
                        int base = p * per;
                        rt.go(() -> {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            for (int i = 0; i < per; i++) {
                                if (r.nextInt(8) == 0) {
                                    while (!c.trySend(base + i)) {
                                        Go.gosched();
                                    }
                                } else {
                                    c.send(base + i);
                                }
                            }
                            done.send(null);
                        });
                    }
                    AtomicInteger live = new AtomicInteger(consumers);
                    for (int k = 0; k < consumers; k++) {
                        rt.go(() -> {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            for (;;) {
                                Recv<Integer> v;
                                if (r.nextInt(8) == 0) {
                                    v = c.tryRecv();
                                    if (v == null) {
                                        Go.gosched();
                                        continue;
                                    }
                                } else {
                                    v = c.recvOk();
                                }
                                if (!v.ok()) {
                                    break;
                                }
                                seen.incrementAndGet(v.value());
                            }
                            live.decrementAndGet();
                            done.send(null);
                        });
                    }
                    for (int p = 0; p < producers; p++) {
                        done.recv();
                    }
                    c.close();
                    for (int k = 0; k < consumers; k++) {
                        done.recv();
                    }
                    WhiteBox.checkInvariants(c);
                    assertEquals(0, WhiteBox.waiters(c));
                });
            }
            for (int i = 0; i < total; i++) {
                assertEquals(1, seen.get(i), "value " + i + " (cap " + cap + ", P=" + procs + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void closeUnderContentionLosesNothing(int procs) {
        for (int round = 0; round < 20 * M; round++) {
            int cap = round % 3 == 0 ? 0 : round % 3 == 1 ? 1 : 8;
            int senders = 16, per = 200;
            AtomicInteger received = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("close-stress").build()) {
                rt.main(() -> {
                    Chan<Integer> c = Chan.make(cap);
                    Chan<Void> done = Chan.make(senders + 1);
                    for (int s = 0; s < senders; s++) {
                        rt.go(() -> {
                            for (int i = 0; i < per; i++) {
                                try {
                                    c.send(i);
                                    sent.incrementAndGet();
                                } catch (ChanClosedException e) {
                                    rejected.incrementAndGet();
                                }
                            }
                            done.send(null);
                        });
                    }
                    rt.go(() -> {
                        for (Integer v : c) {
                            if (received.incrementAndGet() == senders * per / 2) {
                                c.close();               // close while senders are blocked
                            }
                        }
                        done.send(null);
                    });
                    for (int s = 0; s <= senders; s++) {
                        done.recv();
                    }
                });
            }
            assertEquals(senders * per, sent.get() + rejected.get());
            assertEquals(sent.get(), received.get(), "a sent value was lost or duplicated");
        }
    }

    @Test
    void pingPongManyPairs() {
        for (int procs : new int[] {1, 2, 4}) {
            int pairs = 100, rounds = 1_000 * M;
            AtomicInteger finished = new AtomicInteger();
            try (GoRuntime rt = GoRuntime.builder().maxProcs(procs).name("pingpong").build()) {
                rt.main(() -> {
                    Chan<Void> done = Chan.make(pairs);
                    for (int p = 0; p < pairs; p++) {
                        Chan<Integer> ping = Chan.make();
                        Chan<Integer> pong = Chan.make();
                        rt.go(() -> {
                            for (int v : ping) {
                                pong.send(v + 1);
                            }
                        });
                        rt.go(() -> {
                            for (int i = 0; i < rounds; i++) {
                                ping.send(i);
                                assertEquals(i + 1, pong.recv());
                            }
                            ping.close();
                            finished.incrementAndGet();
                            done.send(null);
                        });
                    }
                    for (int p = 0; p < pairs; p++) {
                        done.recv();
                    }
                });
            }
            assertEquals(pairs, finished.get());
        }
    }
}
