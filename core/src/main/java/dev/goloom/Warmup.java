package dev.goloom;

import dev.goloom.internal.sched.Sched;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warms goloom's park and wake-up paths once per process, in the background, on a small private
 * runtime (DESIGN.md section 9).
 *
 * <p>Why: when C2 compiles a method while every call of it is parked — a million goroutines
 * blocked in a channel receive, say — the branch taken after the wake-up has never run, so C2
 * turns it into an uncommon trap; then each of the million frozen frames deoptimizes on its
 * wake-up, which made the first mass wake-up of a fresh JVM 10-30 times slower than the next
 * (measured: 31 s against 1.9 s for a million goroutines, on the JDK's own scheduler too). The
 * JDK's VirtualThread.run had the same trap for a class first loaded when a virtual thread ends.
 * A few thousand goroutines that block and wake through each primitive, early, give those
 * branches a profile. The cost is a few tens of milliseconds of one core at start-up.
 * {@code -Dgoloom.warmup=false} turns it off.
 */
final class Warmup {
    /* Implementation notes
     * Invariants: runs at most once per process (STARTED); its runtime is closed when done, so it
     * leaves no goroutine, M or sysmon behind.
     * Rejected alternatives: warming on the caller's runtime (its goroutines would show in the
     * user's dumps and counts); warming synchronously (start-up latency for every program).
     */
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    static final int GOROUTINES = Integer.getInteger("goloom.warmup.goroutines", 2_000);
    static final int ROUNDS = 3;

    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread, the first time only. */
    static void startOnce() {
        if (!Boolean.parseBoolean(System.getProperty("goloom.warmup", "true"))
                || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(Warmup::run, "goloom-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run() {
        Sched s = new Sched("warmup", 1);
        try {
            s.main(() -> {
                for (int r = 0; r < ROUNDS; r++) {
                    round(s);
                }
            });
        } catch (Throwable e) {
            // a warm-up must never disturb the program: it only makes the first wake-ups faster
        } finally {
            s.close();
        }
    }

    /** Every goroutine blocks once in each primitive and is woken. */
    private static void round(Sched s) throws Exception {
        Chan<Integer> unbuffered = Chan.make();
        Chan<Integer> buffered = Chan.make(16);
        Chan<Integer> other = Chan.make();
        Chan<Object> gate = Chan.make();
        Mutex mu = new Mutex();
        WaitGroup parked = new WaitGroup();
        WaitGroup done = new WaitGroup();
        parked.add(GOROUTINES);
        done.add(GOROUTINES);
        for (int i = 0; i < GOROUTINES; i++) {
            int k = i;
            s.newproc(null, () -> {
                parked.done();
                gate.recv();                         // a mass wake-up by close
                unbuffered.send(k);                  // hand-off to a waiting receiver
                Select.select(Select.recv(other, v -> { }), Select.recv(buffered, v -> { }));
                mu.lock();
                mu.unlock();
                Time.sleep(Duration.ofNanos(1000));
                done.done();
            });
        }
        parked.await();
        gate.close();
        for (int i = 0; i < GOROUTINES; i++) {
            unbuffered.recv();
            if ((i & 1) == 0) {
                other.send(i);
            } else {
                buffered.send(i);
            }
        }
        done.await();
    }
}
