package dev.goloom.bench;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelDone;
import com.softwaremill.jox.Select;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jox side (com.softwaremill.jox: Kotlin's segment-based channel algorithm in Java, on JDK
 * virtual threads with the default scheduler): the channel and select scenarios. jox has
 * channels and select only, so the scheduler, sync, context and timer scenarios are "n/a".
 */
public final class JoxScenarios {
    private JoxScenarios() {
    }

    private static final Units U = Units.VT;

    /** Unbuffered ping-pong: {ns per round trip}. */
    public static double[] pingPong(int n) throws Exception {
        return U.runIn(() -> {
            Channel<Integer> ping = Channel.newRendezvousChannel();
            Channel<Integer> pong = Channel.newRendezvousChannel();
            CountDownLatch echoDone = new CountDownLatch(1);
            U.go(() -> {
                for (int i = 0; i < n; i++) {
                    pong.send(ping.receive() + 1);
                }
                echoDone.countDown();
            });
            long t0 = System.nanoTime();
            int v = 0;
            for (int i = 0; i < n; i++) {
                ping.send(v);
                v = pong.receive();
            }
            long d = System.nanoTime() - t0;
            Units.await(echoDone);
            Units.check(v == n, "ping-pong value " + v);
            return new double[] {d / (double) n};
        });
    }

    /** Buffered channel cap 128, p producers / c consumers, n items in all: {ns per item}. */
    public static double[] chanThroughput(int n, int producers, int consumers) throws Exception {
        return U.runIn(() -> {
            Channel<Integer> ch = Channel.newBufferedChannel(128);
            int per = n / producers;
            int perC = n / consumers;
            AtomicLong total = new AtomicLong();
            CountDownLatch done = new CountDownLatch(producers + consumers);
            long t0 = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                U.go(() -> {
                    for (int i = 0; i < per; i++) {
                        ch.send(i & 127);
                    }
                    done.countDown();
                });
            }
            for (int c = 0; c < consumers; c++) {
                U.go(() -> {
                    long s = 0;
                    for (int i = 0; i < perC; i++) {
                        s += ch.receive();
                    }
                    total.addAndGet(s);
                    done.countDown();
                });
            }
            Units.await(done);
            long d = System.nanoTime() - t0;
            long want = 0;
            for (int i = 0; i < per; i++) {
                want += i & 127;
            }
            Units.check(total.get() == want * producers, "sum " + total.get());
            return new double[] {d / (double) n};
        });
    }

    /** 2-case select over channels of capacity cap: ns per op. */
    public static double select(int n, int capacity) throws Exception {
        return U.runIn(() -> {
            Channel<Integer> a = capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity);
            Channel<Integer> b = capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity);
            U.go(() -> {
                for (int i = 0; i < n; i++) {
                    if ((i & 1) == 0) {
                        a.send(i);
                    } else {
                        b.send(i);
                    }
                }
            });
            long t0 = System.nanoTime();
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += Select.select(a.receiveClause(), b.receiveClause(x -> -x));
            }
            long d = System.nanoTime() - t0;
            if (n % 2 == 0) {
                Units.check(s == -(n / 2), "select sum " + s);
            }
            return d / (double) n;
        });
    }

    /** thread-ring 503 over rendezvous channels: {ns per hop}. */
    public static double[] threadRing(int hops) throws Exception {
        return U.runIn(() -> {
            int ring = 503;
            @SuppressWarnings("unchecked")
            Channel<Integer>[] chans = new Channel[ring];
            for (int i = 0; i < ring; i++) {
                chans[i] = Channel.newRendezvousChannel();
            }
            CompletableFuture<Integer> result = new CompletableFuture<>();
            for (int i = 0; i < ring; i++) {
                int id = i + 1;
                Channel<Integer> in = chans[i];
                Channel<Integer> out = chans[(i + 1) % ring];
                U.go(() -> {
                    for (;;) {
                        Object t = in.receiveOrClosed();
                        if (t instanceof ChannelDone || !(t instanceof Integer v)) {
                            return;
                        }
                        if (v == 0) {
                            result.complete(id);
                            return;
                        }
                        out.send(v - 1);
                    }
                });
            }
            long t0 = System.nanoTime();
            chans[0].send(hops);
            int id = result.join();
            long d = System.nanoTime() - t0;
            for (Channel<Integer> c : chans) {
                c.done();
            }
            Units.check(id == hops % ring + 1, "winner " + id);
            return new double[] {d / (double) hops};
        });
    }

    /** Prime sieve below limit through a chain of filter threads: {ms}. */
    public static double[] sieve(int limit, int wantPrimes) throws Exception {
        return U.runIn(() -> {
            long t0 = System.nanoTime();
            Channel<Integer> gen = Channel.newRendezvousChannel();
            U.go(() -> {
                for (int i = 2; i < limit; i++) {
                    gen.send(i);
                }
                gen.done();
            });
            Channel<Integer> ch = gen;
            int count = 0;
            for (;;) {
                Object r = ch.receiveOrClosed();
                if (!(r instanceof Integer p)) {
                    break;
                }
                count++;
                Channel<Integer> in = ch;
                Channel<Integer> out = Channel.newRendezvousChannel();
                U.go(() -> {
                    for (;;) {
                        Object x = in.receiveOrClosed();
                        if (!(x instanceof Integer i)) {
                            break;
                        }
                        if (i % p != 0) {
                            out.send(i);
                        }
                    }
                    out.done();
                });
                ch = out;
            }
            long d = System.nanoTime() - t0;
            Units.check(count == wantPrimes, "primes " + count + " want " + wantPrimes);
            return new double[] {d / 1e6};
        });
    }

    /** skynet over rendezvous channels, one virtual thread per node: {ms}. */
    public static double[] skynet(long size) throws Exception {
        long want = size * (size - 1) / 2;
        long t0 = System.nanoTime();
        long got = U.runIn(() -> {
            Channel<Long> c = Channel.newRendezvousChannel();
            U.go(() -> skynet(c, 0, size));
            return c.receive();
        });
        long d = System.nanoTime() - t0;
        Units.check(got == want, "skynet sum " + got);
        return new double[] {d / 1e6};
    }

    static void skynet(Channel<Long> c, long num, long size) throws InterruptedException {
        if (size == 1) {
            c.send(num);
            return;
        }
        Channel<Long> rc = Channel.newRendezvousChannel();
        long sub = size / 10;
        for (int i = 0; i < 10; i++) {
            long n = num + i * sub;
            U.go(() -> skynet(rc, n, sub));
        }
        long sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += rc.receive();
        }
        c.send(sum);
    }
}
