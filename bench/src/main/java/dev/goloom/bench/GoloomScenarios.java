package dev.goloom.bench;

import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.Recv;
import dev.goloom.Select;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.RWMutex;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * goloom's side of the scenarios, written as a Go programmer would write them with goloom's API
 * (the line-for-line counterpart of ../shared/anchors/go and bench/go): goroutines from
 * {@code GoRuntime.global()}, {@link Chan}, {@link Select}, {@code dev.goloom.sync},
 * {@code dev.goloom.context} and {@code dev.goloom.time}. Every driver runs in a goroutine, as
 * Go's run in the main goroutine.
 */
public final class GoloomScenarios {
    private GoloomScenarios() {
    }

    private static final Units U = Units.GOLOOM;

    /** spawn-and-park with a closed channel as the gate and WaitGroups, as Go's anchor: see SchedScenarios#spawn. */
    public static double[] spawn(Scenario.Ctx c) throws Exception {
        int n = c.warm() ? Math.min(c.ni(), SchedScenarios.WARM_SPAWN) : c.ni();
        boolean memory = c.first();
        return U.runIn(() -> {
            long heap0 = memory ? Proc.heapAfterGc() : 0;
            long rss0 = memory ? Proc.status("VmRSS") : 0;
            WaitGroup started = new WaitGroup();
            WaitGroup done = new WaitGroup();
            Chan<Object> gate = Chan.make();
            started.add(n);
            done.add(n);
            dev.goloom.Task body = () -> {
                started.done();
                gate.recv();
                done.done();
            };
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Go.go(body);
            }
            started.await();
            long t1 = System.nanoTime();
            double rss = Double.NaN;
            double heap = Double.NaN;
            if (memory) {
                rss = (Proc.status("VmRSS") - rss0) / (double) n;
                heap = (Proc.heapAfterGc() - heap0) / (double) n;
            }
            gate.close();
            done.await();
            return new double[] {(t1 - t0) / (double) n, rss, heap};
        });
    }

    /** skynet over unbuffered channels, as Go's: {ms}. */
    public static double[] skynet(long size) throws Exception {
        long want = size * (size - 1) / 2;
        long t0 = System.nanoTime();
        long got = U.runIn(() -> {
            Chan<Long> c = Chan.make();
            Go.go(() -> skynet(c, 0, size));
            return c.recv();
        });
        long d = System.nanoTime() - t0;
        Units.check(got == want, "skynet sum " + got);
        return new double[] {d / 1e6};
    }

    static void skynet(Chan<Long> c, long num, long size) {
        if (size == 1) {
            c.send(num);
            return;
        }
        Chan<Long> rc = Chan.make();
        long sub = size / 10;
        for (int i = 0; i < 10; i++) {
            long n = num + i * sub;
            Go.go(() -> skynet(rc, n, sub));
        }
        long sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += rc.recv();
        }
        c.send(sum);
    }

    /** Two goroutines each Go.gosched() n times: {ns per yield}. */
    public static double[] yieldPingPong(int n) throws Exception {
        return U.runIn(() -> {
            WaitGroup wg = new WaitGroup();
            Chan<Object> start = Chan.make();
            for (int g = 0; g < 2; g++) {
                wg.go(() -> {
                    start.recv();
                    for (int i = 0; i < n; i++) {
                        Go.gosched();
                    }
                });
            }
            Go.gosched();
            long t0 = System.nanoTime();
            start.close();
            wg.await();
            return new double[] {(System.nanoTime() - t0) / (2.0 * n)};
        });
    }

    /** Unbuffered ping-pong: {ns per round trip}. */
    public static double[] pingPong(int n) throws Exception {
        return U.runIn(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Chan<Object> done = Chan.make();
            Go.go(() -> {
                for (Integer v : ping) {
                    pong.send(v + 1);
                }
                done.close();
            });
            long t0 = System.nanoTime();
            int v = 0;
            for (int i = 0; i < n; i++) {
                ping.send(v);
                v = pong.recv();
            }
            long d = System.nanoTime() - t0;
            ping.close();
            done.recv();
            Units.check(v == n, "ping-pong value " + v);
            return new double[] {d / (double) n};
        });
    }

    /** Buffered channel cap 128, p producers / c consumers, n items: {ns per item}. */
    public static double[] chanThroughput(int n, int producers, int consumers) throws Exception {
        return U.runIn(() -> {
            Chan<Integer> ch = Chan.make(128);
            WaitGroup wg = new WaitGroup();
            int per = n / producers;
            int perC = n / consumers;
            AtomicLong total = new AtomicLong();
            long t0 = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                wg.go(() -> {
                    for (int i = 0; i < per; i++) {
                        ch.send(i & 127);
                    }
                });
            }
            for (int c = 0; c < consumers; c++) {
                wg.go(() -> {
                    long s = 0;
                    for (int i = 0; i < perC; i++) {
                        s += ch.recv();
                    }
                    total.addAndGet(s);
                });
            }
            wg.await();
            long d = System.nanoTime() - t0;
            long want = 0;
            for (int i = 0; i < per; i++) {
                want += i & 127;
            }
            Units.check(total.get() == want * producers, "sum " + total.get());
            return new double[] {d / (double) n};
        });
    }

    /** 2-case select over channels of the capacity: ns per op. */
    public static double select(int n, int capacity) throws Exception {
        return U.runIn(() -> {
            Chan<Integer> a = Chan.make(capacity);
            Chan<Integer> b = Chan.make(capacity);
            Go.go(() -> {
                for (int i = 0; i < n; i++) {
                    if ((i & 1) == 0) {
                        a.send(i);
                    } else {
                        b.send(i);
                    }
                }
            });
            long[] s = new long[1];
            Select.Case ca = Select.recv(a, v -> s[0] += v);
            Select.Case cb = Select.recv(b, v -> s[0] -= v);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Select.select(ca, cb);
            }
            long d = System.nanoTime() - t0;
            if (n % 2 == 0) {
                Units.check(s[0] == -(n / 2), "select sum " + s[0]);
            }
            return d / (double) n;
        });
    }

    /** thread-ring 503 over unbuffered channels: {ns per hop}. */
    public static double[] threadRing(int hops) throws Exception {
        return U.runIn(() -> {
            int ring = 503;
            @SuppressWarnings("unchecked")
            Chan<Integer>[] chans = new Chan[ring];
            for (int i = 0; i < ring; i++) {
                chans[i] = Chan.make();
            }
            Chan<Integer> result = Chan.make();
            for (int i = 0; i < ring; i++) {
                int id = i + 1;
                Chan<Integer> in = chans[i];
                Chan<Integer> out = chans[(i + 1) % ring];
                Go.go(() -> {
                    for (;;) {
                        Recv<Integer> r = in.recvOk();
                        if (!r.ok()) {
                            return;
                        }
                        int t = r.value();
                        if (t == 0) {
                            result.send(id);
                            return;
                        }
                        out.send(t - 1);
                    }
                });
            }
            long t0 = System.nanoTime();
            chans[0].send(hops);
            int id = result.recv();
            long d = System.nanoTime() - t0;
            for (int i = 0; i < ring; i++) {
                chans[i].close(); // the other 502 end
            }
            Units.check(id == hops % ring + 1, "winner " + id);
            return new double[] {d / (double) hops};
        });
    }

    /** The concurrent prime sieve below limit: {ms}. */
    public static double[] sieve(int limit, int wantPrimes) throws Exception {
        return U.runIn(() -> {
            long t0 = System.nanoTime();
            Chan<Integer> gen = Chan.make();
            Go.go(() -> {
                for (int i = 2; i < limit; i++) {
                    gen.send(i);
                }
                gen.close();
            });
            Chan<Integer> ch = gen;
            int count = 0;
            for (;;) {
                Recv<Integer> r = ch.recvOk();
                if (!r.ok()) {
                    break;
                }
                int p = r.value();
                count++;
                Chan<Integer> in = ch;
                Chan<Integer> out = Chan.make();
                Go.go(() -> {
                    for (Integer i : in) {
                        if (i % p != 0) {
                            out.send(i);
                        }
                    }
                    out.close();
                });
                ch = out;
            }
            long d = System.nanoTime() - t0;
            Units.check(count == wantPrimes, "primes " + count + " want " + wantPrimes);
            return new double[] {d / 1e6};
        });
    }

    static long counter;

    /** g goroutines each lock/unlock a goloom Mutex per times: {ns per lock+unlock}. */
    public static double[] mutex(int g, int per) throws Exception {
        return U.runIn(() -> {
            counter = 0;
            Mutex mu = new Mutex();
            WaitGroup wg = new WaitGroup();
            Chan<Object> start = Chan.make();
            for (int w = 0; w < g; w++) {
                wg.go(() -> {
                    start.recv();
                    for (int i = 0; i < per; i++) {
                        mu.lock();
                        counter++;
                        mu.unlock();
                    }
                });
            }
            long t0 = System.nanoTime();
            start.close();
            wg.await();
            long d = System.nanoTime() - t0;
            Units.check(counter == (long) g * per, "counter " + counter);
            return new double[] {d / (double) ((long) g * per)};
        });
    }

    /** RWMutex read-mostly: g goroutines, per operations each, 1 in 100 a write: {ns per op}. */
    public static double[] rwMutex(int g, int per) throws Exception {
        return U.runIn(() -> {
            RWMutex rw = new RWMutex();
            long[] shared = new long[1];
            AtomicLong sink = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            Chan<Object> start = Chan.make();
            for (int w = 0; w < g; w++) {
                wg.go(() -> {
                    start.recv();
                    long s = 0;
                    for (int i = 0; i < per; i++) {
                        if (i % 100 == 0) {
                            rw.lock();
                            shared[0]++;
                            rw.unlock();
                        } else {
                            rw.rLock();
                            s += shared[0];
                            rw.rUnlock();
                        }
                    }
                    sink.addAndGet(s);
                });
            }
            long t0 = System.nanoTime();
            start.close();
            wg.await();
            long d = System.nanoTime() - t0;
            Units.check(shared[0] == (long) g * ((per + 99) / 100), "writes " + shared[0]);
            return new double[] {d / (double) ((long) g * per)};
        });
    }

    /** WaitGroup fan-out: add(n), n goroutines each done(), await(): {ns per goroutine}. */
    public static double[] fanOut(int n) throws Exception {
        return U.runIn(() -> {
            WaitGroup wg = new WaitGroup();
            long t0 = System.nanoTime();
            wg.add(n);
            for (int i = 0; i < n; i++) {
                Go.go(wg::done);
            }
            wg.await();
            return new double[] {(System.nanoTime() - t0) / (double) n};
        });
    }

    /** Context tree of n cancel contexts, a goroutine on each done(): {build ns/node, cancel ms}. */
    public static double[] ctxTree(int n) throws Exception {
        return U.runIn(() -> {
            CancelContext[] ctxs = new CancelContext[n];
            WaitGroup started = new WaitGroup();
            WaitGroup done = new WaitGroup();
            started.add(n);
            done.add(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Context parent = i == 0 ? Context.background() : ctxs[(i - 1) / 10];
                CancelContext ctx = Context.withCancel(parent);
                ctxs[i] = ctx;
                Go.go(() -> {
                    started.done();
                    ctx.done().recv();
                    done.done();
                });
            }
            started.await();
            long t1 = System.nanoTime();
            ctxs[0].cancel();
            done.await();
            long t2 = System.nanoTime();
            for (int i = 1; i < n; i++) {
                Units.check(ctxs[i].err() != null, "node " + i + " not cancelled");
            }
            return new double[] {(t1 - t0) / (double) n, (t2 - t1) / 1e6};
        });
    }

    static Duration dur(int i) {
        return Duration.ofMillis(1 + i % 10);
    }

    /** n goroutines each Time.sleep(1 + i % 10 ms): {ns per timer}. */
    public static double[] sleepers(int n) throws Exception {
        return U.runIn(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Duration d = dur(i);
                Go.go(() -> {
                    Time.sleep(d);
                    wg.done();
                });
            }
            wg.await();
            return new double[] {(System.nanoTime() - t0) / (double) n};
        });
    }

    /** n Time.afterFunc(1 + i % 10 ms, wg::done): {ns per timer}. */
    public static double[] afterFunc(int n) throws Exception {
        return U.runIn(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Time.afterFunc(dur(i), wg::done);
            }
            wg.await();
            return new double[] {(System.nanoTime() - t0) / (double) n};
        });
    }
}
