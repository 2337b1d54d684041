package dev.goloom.bench;

import dev.goloom.bench.kt.Kt;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios of {@code ./goloom bench --all}, in table order, with each runtime's side.
 * Sizes are the full run's; {@code --quick} uses the smaller second size; {@code --scale}
 * multiplies either. Go's side names the program of ../shared/anchors/go or bench/go and the
 * output key of each metric.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** The scenario with this id, or null. */
    public static Scenario byId(String id) {
        for (Scenario s : all()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    static List<String> args(Object... a) {
        List<String> out = new ArrayList<>();
        for (Object o : a) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** The number of primes below {@code limit} (the sieve's expected count). */
    static int primesBelow(int limit) {
        boolean[] comp = new boolean[Math.max(limit, 2)];
        int count = 0;
        for (int i = 2; i < limit; i++) {
            if (!comp[i]) {
                count++;
                for (long j = (long) i * i; j < limit; j += i) {
                    comp[(int) j] = true;
                }
            }
        }
        return count;
    }

    public static List<Scenario> all() {
        List<Scenario> l = new ArrayList<>();
        Units vt = Units.VT;
        Units pt = Units.PT;

        // ---------------------------------------------------------------- sched
        l.add(Scenario.of("spawn", "sched", "spawn-and-park", 1_000_000, 200_000)
                .metric("start until all parked", "ns/goroutine", "spawn.spawn")
                .metric("RSS per parked goroutine", "B", "spawn.rss_per_blocked")
                .metric("heap per parked goroutine (Go: stack+heap in use)", "B", "spawn.runtime_per_blocked")
                .go("spawn", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.spawn(c))
                .impl(Rt.VT, c -> SchedScenarios.spawn(vt, c))
                .impl(Rt.PT, 0.01, c -> SchedScenarios.spawn(pt, c), "N/100 threads")
                .impl(Rt.KOTLIN, c -> Kt.spawn(c.warm() ? Math.min(c.ni(), SchedScenarios.WARM_SPAWN) : c.ni(), c.first()))
                .na(Rt.JOX)
                .reps(2, 3));
        l.add(Scenario.of("skynet", "sched", "skynet (fan-out 10)", 1_000_000, 100_000)
                .metric("whole tree (N leaves, 1.11 N tasks)", "ms", "skynet.total")
                .go("skynet", n -> args("-size", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.skynet(c.n()))
                .impl(Rt.VT, 1, c -> SchedScenarios.skynetSq(vt, c), "SynchronousQueue")
                .absent(Rt.PT, "n/a (needs 1.1M OS threads)")
                .impl(Rt.KOTLIN, c -> Kt.skynet(c.n()))
                .impl(Rt.JOX, c -> JoxScenarios.skynet(c.n()))
                .powerOfTen()
                .reps(1, 3));
        l.add(Scenario.of("yield", "sched", "yield ping-pong (2 goroutines)", 1_000_000, 200_000)
                .metric("per yield", "ns", "ctxswitch.gosched")
                .go("ctxswitch", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.yieldPingPong(c.ni()))
                .impl(Rt.VT, c -> SchedScenarios.yieldPingPong(vt, c))
                .pinned(Rt.PT, 0.2, c -> SchedScenarios.yieldPingPong(pt, c), "pinned to 1 cpu")
                .impl(Rt.KOTLIN, c -> Kt.yieldPingPong(c.ni()))
                .na(Rt.JOX));
        l.add(Scenario.of("http", "sched", "goroutine-per-request HTTP", 200_000, 40_000)
                .throughput("requests/s (16 keep-alive clients)", "req/s", "http.rps")
                .go("httpbench", n -> args("-n", n))
                .impl(Rt.GOLOOM, 1, c -> Http.requests(Rt.GOLOOM, c), "HttpServer + executor()")
                .impl(Rt.VT, 1, c -> Http.requests(Rt.VT, c), "HttpServer + VT per task")
                .impl(Rt.PT, 1, c -> Http.requests(Rt.PT, c), "HttpServer + fixed pool of 16")
                .na(Rt.KOTLIN, Rt.JOX)
                .reps(1, 3));

        // ---------------------------------------------------------------- chan
        l.add(Scenario.of("pingpong", "chan", "unbuffered ping-pong", 1_000_000, 200_000)
                .metric("round trip", "ns", "pingpong.chan")
                .go("pingpong", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.pingPong(c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.pingPong(vt, c.ni()), "SynchronousQueue")
                .impl(Rt.PT, 0.2, c -> JdkScenarios.pingPong(pt, c.ni()), "SynchronousQueue")
                .impl(Rt.KOTLIN, c -> Kt.pingPong(c.ni()))
                .impl(Rt.JOX, c -> JoxScenarios.pingPong(c.ni())));
        l.add(Scenario.of("spsc", "chan", "buffered cap 128, 1 producer / 1 consumer", 10_000_000, 1_000_000)
                .metric("per item", "ns", "chanthroughput.spsc")
                .go("chanthroughput", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.chanThroughput(c.ni(), 1, 1))
                .impl(Rt.VT, 1, c -> JdkScenarios.chanThroughput(vt, c.ni(), 1, 1), "ArrayBlockingQueue")
                .impl(Rt.PT, 1, c -> JdkScenarios.chanThroughput(pt, c.ni(), 1, 1), "ArrayBlockingQueue")
                .impl(Rt.KOTLIN, c -> Kt.chanThroughput(c.ni(), 1, 1))
                .impl(Rt.JOX, c -> JoxScenarios.chanThroughput(c.ni(), 1, 1))
                .reps(1, 3));
        l.add(Scenario.of("mpmc", "chan", "buffered cap 128, 4 producers / 4 consumers", 10_000_000, 1_000_000)
                .metric("per item", "ns", "chanthroughput.mpmc4x4")
                .go("chanthroughput", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.chanThroughput(c.ni(), 4, 4))
                .impl(Rt.VT, 1, c -> JdkScenarios.chanThroughput(vt, c.ni(), 4, 4), "ArrayBlockingQueue")
                .impl(Rt.PT, 1, c -> JdkScenarios.chanThroughput(pt, c.ni(), 4, 4), "ArrayBlockingQueue")
                .impl(Rt.KOTLIN, c -> Kt.chanThroughput(c.ni(), 4, 4))
                .impl(Rt.JOX, c -> JoxScenarios.chanThroughput(c.ni(), 4, 4))
                .reps(1, 3));
        l.add(Scenario.of("threadring", "chan", "thread-ring 503", 10_000_000, 1_000_000)
                .metric("per hop", "ns", "threadring.hop")
                .go("threadring", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.threadRing(c.ni()))
                .impl(Rt.VT, 0.2, c -> JdkScenarios.threadRing(vt, c.ni()), "SynchronousQueue, N/5")
                .impl(Rt.PT, 0.02, c -> JdkScenarios.threadRing(pt, c.ni()), "SynchronousQueue, N/50")
                .impl(Rt.KOTLIN, c -> Kt.threadRing(c.ni()))
                .impl(Rt.JOX, 0.2, c -> JoxScenarios.threadRing(c.ni()), "N/5")
                .reps(1, 3));
        l.add(Scenario.of("sieve", "chan", "prime sieve", 10_000, 10_000)
                .metric("all primes below N", "ms", "sieve.total")
                .go("sieve", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.sieve(c.ni(), primesBelow(c.ni())))
                .impl(Rt.VT, 1, c -> JdkScenarios.sieve(vt, c.ni(), primesBelow(c.ni())), "SynchronousQueue")
                .impl(Rt.PT, 1, c -> JdkScenarios.sieve(pt, c.ni(), primesBelow(c.ni())), "SynchronousQueue")
                .impl(Rt.KOTLIN, c -> Kt.sieve(c.ni(), primesBelow(c.ni())))
                .impl(Rt.JOX, c -> JoxScenarios.sieve(c.ni(), primesBelow(c.ni())))
                .reps(1, 3));

        // ---------------------------------------------------------------- select
        l.add(Scenario.of("select", "select", "2-case select", 1_000_000, 200_000)
                .metric("unbuffered", "ns/op", "select.unbuffered")
                .metric("cap 128", "ns/op", "select.buf128")
                .go("selectbench", n -> args("-n", n, "-nb", n))
                .impl(Rt.GOLOOM, c -> new double[] {GoloomScenarios.select(c.ni(), 0), GoloomScenarios.select(c.ni(), 128)})
                .na(Rt.VT, Rt.PT)
                .impl(Rt.KOTLIN, c -> new double[] {Kt.select(c.ni(), 0), Kt.select(c.ni(), 128)})
                .impl(Rt.JOX, c -> new double[] {JoxScenarios.select(c.ni(), 0), JoxScenarios.select(c.ni(), 128)}));

        // ---------------------------------------------------------------- sync
        l.add(Scenario.of("mutex", "sync", "Mutex contended (4 goroutines)", 2_500_000, 500_000)
                .metric("lock+unlock", "ns", "mutex.lock_unlock")
                .go("mutex", n -> args("-g", 4, "-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.mutex(4, c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.mutex(vt, 4, c.ni()), "ReentrantLock")
                .impl(Rt.PT, 1, c -> JdkScenarios.mutex(pt, 4, c.ni()), "ReentrantLock")
                .impl(Rt.KOTLIN, c -> Kt.mutex(4, c.ni()))
                .na(Rt.JOX));
        l.add(Scenario.of("mutex1", "sync", "Mutex uncontended (1 goroutine)", 10_000_000, 2_000_000)
                .metric("lock+unlock", "ns", "mutex.lock_unlock")
                .go("mutex", n -> args("-g", 1, "-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.mutex(1, c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.mutex(vt, 1, c.ni()), "ReentrantLock")
                .impl(Rt.PT, 1, c -> JdkScenarios.mutex(pt, 1, c.ni()), "ReentrantLock")
                .impl(Rt.KOTLIN, c -> Kt.mutex(1, c.ni()))
                .na(Rt.JOX));
        l.add(Scenario.of("rwmutex", "sync", "RWMutex read-mostly (4 goroutines, 1% writes)", 2_500_000, 500_000)
                .metric("per operation", "ns", "rwmutex.op")
                .go("rwmutex", n -> args("-g", 4, "-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.rwMutex(4, c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.rwMutex(vt, 4, c.ni()), "ReentrantReadWriteLock")
                .impl(Rt.PT, 1, c -> JdkScenarios.rwMutex(pt, 4, c.ni()), "ReentrantReadWriteLock")
                .na(Rt.KOTLIN, Rt.JOX));
        l.add(Scenario.of("waitgroup", "sync", "WaitGroup fan-out", 100_000, 100_000)
                .metric("per goroutine (start, Done, Wait)", "ns", "waitgroup.fanout")
                .go("wgfanout", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.fanOut(c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.fanOut(vt, c.ni()), "CountDownLatch")
                .impl(Rt.PT, 0.05, c -> JdkScenarios.fanOut(pt, c.ni()), "CountDownLatch, N/20 threads")
                .impl(Rt.KOTLIN, 1, c -> Kt.fanOut(c.ni()), "coroutineScope")
                .na(Rt.JOX));

        // ---------------------------------------------------------------- context
        l.add(Scenario.of("ctxtree", "context", "context tree (fan-out 10)", 100_000, 100_000)
                .metric("build, per node", "ns", "ctxtree.build")
                .metric("cancel root until all woken", "ms", "ctxtree.cancel")
                .go("ctxtree", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.ctxTree(c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.ctxTree(vt, c.ni()), "latch-tree analog")
                .absent(Rt.PT, "n/a (needs 100k OS threads)")
                .impl(Rt.KOTLIN, 1, c -> Kt.ctxTree(c.ni()), "Job tree")
                .na(Rt.JOX)
                .reps(2, 3));

        // ---------------------------------------------------------------- timer
        l.add(Scenario.of("sleepers", "timer", "timers: goroutines in Sleep(1-10 ms)", 1_000_000, 200_000)
                .metric("per timer (whole round / N)", "ns", "timers.sleep")
                .go("timers", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.sleepers(c.ni()))
                .impl(Rt.VT, 1, c -> JdkScenarios.sleepers(vt, c.ni()), "Thread.sleep")
                .absent(Rt.PT, "n/a (needs 1M OS threads)")
                .impl(Rt.KOTLIN, 1, c -> Kt.sleepers(c.ni()), "delay")
                .na(Rt.JOX)
                .reps(1, 3));
        l.add(Scenario.of("afterfunc", "timer", "timers: AfterFunc(1-10 ms)", 1_000_000, 200_000)
                .metric("per timer (whole round / N)", "ns", "timers.afterfunc")
                .go("timers", n -> args("-n", n))
                .impl(Rt.GOLOOM, c -> GoloomScenarios.afterFunc(c.ni()))
                .na(Rt.VT)
                .impl(Rt.PT, 1, c -> JdkScenarios.scheduled(c.ni()), "ScheduledThreadPoolExecutor(1)")
                .na(Rt.KOTLIN, Rt.JOX)
                .reps(1, 3));
        return l;
    }
}
