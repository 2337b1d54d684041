package dev.goloom.internal.sched;

import dev.goloom.DeadlockError;
import dev.goloom.GoroutineInfo;
import dev.goloom.GoroutineState;
import dev.goloom.SchedStats;
import dev.goloom.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One goloom runtime: Go's {@code schedt} plus the allgs registry. {@code GoRuntime} is its
 * public face. This skeleton runs goroutines in fallback mode (JDK default scheduler); the GMP
 * engine plugs in through {@link #ready(G)}.
 */
public final class Sched {
    /** the goroutine of the calling virtual thread in fallback mode. */
    static final ThreadLocal<G> FALLBACK_CURRENT = new ThreadLocal<>();
    private static final AtomicLong GOIDS = new AtomicLong();

    final String name;
    final boolean gmp;
    private volatile int maxProcs;
    private volatile boolean closed;
    /** allgs: every live goroutine, by id. */
    final ConcurrentHashMap<Long, G> allgs = new ConcurrentHashMap<>();
    final AtomicLong created = new AtomicLong();

    public Sched(String name, int maxProcs) {
        if (maxProcs < 1) {
            throw new IllegalArgumentException("goloom: maxProcs must be at least 1, got " + maxProcs);
        }
        this.name = name;
        this.maxProcs = maxProcs;
        this.gmp = false;
    }

    /** The coarse clock for wait times. */
    static long nanoTime() {
        return System.nanoTime();
    }

    public String name() {
        return name;
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------ newproc

    /** Go's {@code newproc}: creates and starts a goroutine running {@code task}. */
    public G newproc(String name, Task task) {
        if (task == null) {
            throw new NullPointerException("goloom: go(null): the task is null");
        }
        if (closed) {
            throw new IllegalStateException("goloom: runtime '" + this.name + "' is closed");
        }
        long id = GOIDS.incrementAndGet();
        G parent = G.current();
        String n = name != null ? name : "goroutine-" + id;
        G g = new G(this, id, n, creator(task), parent == null ? 0 : parent.goid);
        Runnable body = () -> goexit(g, task);
        g.thread = Thread.ofVirtual().name(n).unstarted(body);
        allgs.put(id, g);
        created.incrementAndGet();
        g.thread.start();
        return g;
    }

    private static StackTraceElement creator(Task task) {
        String cls = task.getClass().getName();
        int i = cls.indexOf("$$Lambda");
        if (i > 0) {
            cls = cls.substring(0, i);
        }
        return new StackTraceElement(cls, "go", null, -1);
    }

    /**
     * {@code GoRuntime.threadFactory()}: an unstarted thread that runs {@code r} as a goroutine.
     * It counts as live from its start; an exception escaping it goes to the thread's
     * UncaughtExceptionHandler, as for any Java thread.
     */
    public Thread newThread(Runnable r) {
        if (r == null) {
            throw new NullPointerException("goloom: newThread(null)");
        }
        if (closed) {
            throw new IllegalStateException("goloom: runtime '" + this.name + "' is closed");
        }
        long id = GOIDS.incrementAndGet();
        G parent = G.current();
        G g = new G(this, id, "goroutine-" + id, creator(r::run), parent == null ? 0 : parent.goid);
        g.thread = Thread.ofVirtual().name(g.name).unstarted(() -> {
            allgs.put(id, g);
            created.incrementAndGet();
            if (!gmp) {
                FALLBACK_CURRENT.set(g);
            }
            g.status = G.G_RUNNING;
            try {
                r.run();
            } finally {
                g.waitReason = null;
                g.status = G.G_DEAD;
                allgs.remove(id);
            }
        });
        return g.thread;
    }

    /** The goroutine's whole life, run on its virtual thread. */
    private void goexit(G g, Task task) {
        if (!gmp) {
            FALLBACK_CURRENT.set(g);
        }
        g.status = G.G_RUNNING;
        try {
            task.run();
        } catch (Throwable t) {
            g.panic = t;
            Panics.report(g, t);
        } finally {
            g.waitReason = null;
            g.status = G.G_DEAD;
            allgs.remove(g.goid);
            if (g.panic != null) {
                Panics.afterPanic(this, g, g.panic);
            }
        }
    }

    /** The JDK asks to run {@code g} (start, wake-up or yield). */
    void ready(G g) {
        throw new IllegalStateException("GMP scheduler not active");
    }

    // ------------------------------------------------------------------------------ queries

    public int numGoroutine() {
        return allgs.size();
    }

    public int maxProcs() {
        return maxProcs;
    }

    public int maxProcs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("goloom: maxProcs must be at least 1, got " + n);
        }
        int old = maxProcs;
        maxProcs = n;
        return old;
    }

    public List<G> allGs() {
        List<G> l = new ArrayList<>(allgs.values());
        l.sort(Comparator.comparingLong(G::id));
        return l;
    }

    public List<GoroutineInfo> goroutines() {
        List<GoroutineInfo> out = new ArrayList<>();
        long now = nanoTime();
        for (G g : allGs()) {
            out.add(info(g, now));
        }
        return out;
    }

    static GoroutineInfo info(G g, long now) {
        GoroutineState st = g.state();
        WaitReason wr = g.waitReason;
        String reason = wr != null ? wr.toString() : switch (st) {
            case RUNNABLE -> "runnable";
            case RUNNING -> "running";
            case SYSCALL -> "syscall";
            case WAITING -> "waiting";
            case DEAD -> "dead";
        };
        Duration waiting = st == GoroutineState.WAITING && wr != null
                ? Duration.ofNanos(Math.max(0, now - g.waitSince)) : Duration.ZERO;
        Thread t = g.thread;
        StackTraceElement[] stack = t == null ? new StackTraceElement[0] : Dumps.trim(t.getStackTrace());
        return new GoroutineInfo(g.goid, g.name, st, reason, waiting, stack);
    }

    public String dump() {
        return Dumps.format(goroutines(), this);
    }

    public SchedStats schedStats() {
        return new SchedStats(maxProcs, 0, 0, 0, 0, 0, new int[maxProcs], created.get(), 0, 0);
    }

    // ------------------------------------------------------------------------------ main

    private volatile Throwable mainPanic;
    private volatile Thread mainWaiter;

    /** Go's main: runs {@code body} as the main goroutine and waits for it. */
    public void main(Task body) {
        G g = newproc("main", body);
        g.isMain = true;
        mainWaiter = Thread.currentThread();
        try {
            while (true) {
                if (g.status == G.G_DEAD) {
                    break;
                }
                Throwable p = mainPanic;
                if (p != null) {
                    break;
                }
                try {
                    g.thread.join(Duration.ofMillis(100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new dev.goloom.GoInterruptedException("main interrupted");
                }
                if (g.status != G.G_DEAD && Deadlock.check(this)) {
                    throw new DeadlockError(dump());
                }
            }
        } finally {
            mainWaiter = null;
        }
        Throwable p = g.panic != null ? g.panic : mainPanic;
        mainPanic = null;
        if (p != null) {
            throw Panics.unchecked(p);
        }
    }

    void mainPanicked(Throwable t) {
        if (mainWaiter != null && mainPanic == null) {
            mainPanic = t;
        }
    }

    // ------------------------------------------------------------------------------ close

    /** Stops accepting goroutines and waits for the live ones to end. */
    public void close() {
        closed = true;
        for (G g : allGs()) {
            Thread t = g.thread;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
