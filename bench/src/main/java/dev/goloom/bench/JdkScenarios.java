package dev.goloom.bench;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The plain-JDK side (virtual threads on the default scheduler, or platform threads): the
 * channel analogs of ../shared/anchors/jdk (SynchronousQueue for an unbuffered channel,
 * ArrayBlockingQueue for a buffered one), ReentrantLock / ReentrantReadWriteLock for the
 * mutexes, CountDownLatch for WaitGroup, a latch tree for contexts, sleep and
 * ScheduledThreadPoolExecutor for timers.
 */
public final class JdkScenarios {
    private JdkScenarios() {
    }

    static final Integer TOKEN = 42;

    /** Unbuffered ping-pong with two SynchronousQueues: {ns per round trip}. */
    public static double[] pingPong(Units u, int n) throws Exception {
        return u.runIn(() -> {
            SynchronousQueue<Integer> ping = new SynchronousQueue<>();
            SynchronousQueue<Integer> pong = new SynchronousQueue<>();
            CountDownLatch echoDone = new CountDownLatch(1);
            u.go(() -> {
                for (int i = 0; i < n; i++) {
                    pong.put(ping.take());
                }
                echoDone.countDown();
            });
            long t0 = System.nanoTime();
            int count = 0;
            for (int i = 0; i < n; i++) {
                ping.put(TOKEN);
                if (pong.take() == TOKEN) {
                    count++;
                }
            }
            long d = System.nanoTime() - t0;
            Units.await(echoDone);
            Units.check(count == n, "count");
            return new double[] {d / (double) n};
        });
    }

    /** ArrayBlockingQueue(128), p producers / c consumers, n items: {ns per item}. */
    public static double[] chanThroughput(Units u, int n, int producers, int consumers) throws Exception {
        return u.runIn(() -> {
            ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(128);
            int per = n / producers;
            int perC = n / consumers;
            AtomicLong total = new AtomicLong();
            CountDownLatch done = new CountDownLatch(producers + consumers);
            long t0 = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                u.go(() -> {
                    for (int i = 0; i < per; i++) {
                        q.put(i & 127);
                    }
                    done.countDown();
                });
            }
            for (int c = 0; c < consumers; c++) {
                u.go(() -> {
                    long s = 0;
                    for (int i = 0; i < perC; i++) {
                        s += q.take();
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

    /** One mutable token passed along the ring (no boxing per hop). */
    static final class Token {
        int v;
    }

    /** thread-ring 503 over SynchronousQueues: {ns per hop}. */
    public static double[] threadRing(Units u, int hops) throws Exception {
        return u.runIn(() -> {
            int ring = 503;
            @SuppressWarnings("unchecked")
            SynchronousQueue<Token>[] qs = new SynchronousQueue[ring];
            for (int i = 0; i < ring; i++) {
                qs[i] = new SynchronousQueue<>();
            }
            CompletableFuture<Integer> result = new CompletableFuture<>();
            Token stop = new Token();
            stop.v = -1;
            for (int i = 0; i < ring; i++) {
                int id = i + 1;
                SynchronousQueue<Token> in = qs[i];
                SynchronousQueue<Token> out = qs[(i + 1) % ring];
                u.go(() -> {
                    for (;;) {
                        Token t = in.take();
                        if (t.v < 0) {
                            return;
                        }
                        if (t.v == 0) {
                            result.complete(id);
                            return;
                        }
                        t.v--;
                        out.put(t);
                    }
                });
            }
            Token tok = new Token();
            tok.v = hops;
            long t0 = System.nanoTime();
            qs[0].put(tok);
            int id = result.join();
            long d = System.nanoTime() - t0;
            for (int i = 0; i < ring; i++) {
                if (i != id - 1) {
                    qs[i].put(stop); // end the other 502
                }
            }
            Units.check(id == hops % ring + 1, "winner " + id);
            return new double[] {d / (double) hops};
        });
    }

    static final Integer EOF = -1;

    /** Prime sieve below limit over SynchronousQueues (-1 marks the end): {ms}. */
    public static double[] sieve(Units u, int limit, int wantPrimes) throws Exception {
        return u.runIn(() -> {
            long t0 = System.nanoTime();
            SynchronousQueue<Integer> gen = new SynchronousQueue<>();
            u.go(() -> {
                for (int i = 2; i < limit; i++) {
                    gen.put(i);
                }
                gen.put(EOF);
            });
            SynchronousQueue<Integer> ch = gen;
            int count = 0;
            for (;;) {
                int p = ch.take();
                if (p < 0) {
                    break;
                }
                count++;
                SynchronousQueue<Integer> in = ch;
                SynchronousQueue<Integer> out = new SynchronousQueue<>();
                u.go(() -> {
                    for (;;) {
                        int i = in.take();
                        if (i < 0) {
                            out.put(EOF);
                            return;
                        }
                        if (i % p != 0) {
                            out.put(i);
                        }
                    }
                });
                ch = out;
            }
            long d = System.nanoTime() - t0;
            Units.check(count == wantPrimes, "primes " + count + " want " + wantPrimes);
            return new double[] {d / 1e6};
        });
    }

    static long counter;

    /** g units each lock/unlock a ReentrantLock per times: {ns per lock+unlock}. */
    public static double[] mutex(Units u, int g, int per) throws Exception {
        return u.runIn(() -> {
            counter = 0;
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(g);
            for (int w = 0; w < g; w++) {
                u.go(() -> {
                    start.await();
                    for (int i = 0; i < per; i++) {
                        lock.lock();
                        try {
                            counter++;
                        } finally {
                            lock.unlock();
                        }
                    }
                    done.countDown();
                });
            }
            long t0 = System.nanoTime();
            start.countDown();
            Units.await(done);
            long d = System.nanoTime() - t0;
            Units.check(counter == (long) g * per, "counter " + counter);
            return new double[] {d / (double) ((long) g * per)};
        });
    }

    /**
     * RWMutex read-mostly: 4 units, each per operations; every 100th a write lock, else a read
     * lock around reading the shared value: {ns per operation}.
     */
    public static double[] rwMutex(Units u, int g, int per) throws Exception {
        return u.runIn(() -> {
            ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
            long[] shared = new long[1];
            AtomicLong sink = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(g);
            for (int w = 0; w < g; w++) {
                u.go(() -> {
                    start.await();
                    long s = 0;
                    for (int i = 0; i < per; i++) {
                        if (i % 100 == 0) {
                            rw.writeLock().lock();
                            shared[0]++;
                            rw.writeLock().unlock();
                        } else {
                            rw.readLock().lock();
                            s += shared[0];
                            rw.readLock().unlock();
                        }
                    }
                    sink.addAndGet(s);
                    done.countDown();
                });
            }
            long t0 = System.nanoTime();
            start.countDown();
            Units.await(done);
            long d = System.nanoTime() - t0;
            Units.check(shared[0] == (long) g * ((per + 99) / 100), "writes " + shared[0]);
            return new double[] {d / (double) ((long) g * per)};
        });
    }

    /** WaitGroup fan-out analog: n units each count a latch down; wait: {ns per unit}. */
    public static double[] fanOut(Units u, int n) throws Exception {
        return u.runIn(() -> {
            CountDownLatch wg = new CountDownLatch(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                u.go(wg::countDown);
            }
            Units.await(wg);
            return new double[] {(System.nanoTime() - t0) / (double) n};
        });
    }

    /** The anchor's context analog: a latch per node, children cancelled by the canceller. */
    static final class Ctx {
        final CountDownLatch done = new CountDownLatch(1);
        private final ArrayList<Ctx> children = new ArrayList<>();
        private boolean cancelled;

        Ctx(Ctx parent) {
            if (parent != null) {
                parent.addChild(this);
            }
        }

        private void addChild(Ctx c) {
            boolean already;
            synchronized (this) {
                already = cancelled;
                if (!already) {
                    children.add(c);
                }
            }
            if (already) {
                c.cancel();
            }
        }

        void cancel() {
            ArrayList<Ctx> kids;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                done.countDown();
                kids = new ArrayList<>(children);
                children.clear();
            }
            for (Ctx k : kids) {
                k.cancel();
            }
        }
    }

    /** ctxtree with the latch analog: {build ns per node, cancel ms}. */
    public static double[] ctxTree(Units u, int n) throws Exception {
        return u.runIn(() -> {
            Ctx[] ctxs = new Ctx[n];
            CountDownLatch started = new CountDownLatch(n);
            CountDownLatch finished = new CountDownLatch(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Ctx c = new Ctx(i == 0 ? null : ctxs[(i - 1) / 10]);
                ctxs[i] = c;
                u.go(() -> {
                    started.countDown();
                    c.done.await();
                    finished.countDown();
                });
            }
            Units.await(started);
            long t1 = System.nanoTime();
            ctxs[0].cancel();
            Units.await(finished);
            long t2 = System.nanoTime();
            return new double[] {(t1 - t0) / (double) n, (t2 - t1) / 1e6};
        });
    }

    /** n units each sleep 1 + i % 10 ms: {ns per timer (whole round / n)}. */
    public static double[] sleepers(Units u, int n) throws Exception {
        return u.runIn(() -> {
            CountDownLatch done = new CountDownLatch(n);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long ms = 1 + i % 10;
                u.go(() -> {
                    Thread.sleep(ms);
                    done.countDown();
                });
            }
            Units.await(done);
            return new double[] {(System.nanoTime() - t0) / (double) n};
        });
    }

    /** n one-shot callbacks on a ScheduledThreadPoolExecutor (1 thread), 1 + i % 10 ms: {ns per timer}. */
    public static double[] scheduled(int n) throws Exception {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
        try {
            CountDownLatch done = new CountDownLatch(n);
            AtomicInteger fired = new AtomicInteger();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                stpe.schedule(() -> {
                    fired.incrementAndGet();
                    done.countDown();
                }, 1 + i % 10, TimeUnit.MILLISECONDS);
            }
            Units.await(done);
            return new double[] {(System.nanoTime() - t0) / (double) n};
        } finally {
            stpe.shutdownNow();
        }
    }
}
