package dev.goloom;

import dev.goloom.internal.sched.Sched;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

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
     * leaves no goroutine, M or sysmon behind, also when a round fails (out of memory, say: each
     * goroutine catches its own failure and closes the round's channels, which ends the rest).
     * Rejected alternatives: warming on the caller's runtime (its goroutines would show in the
     * user's dumps and counts); warming synchronously (start-up latency for every program).
     */
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    static final int GOROUTINES = Integer.getInteger("goloom.warmup.goroutines", 2_000);
    static final int ROUNDS = 3;
    private static final IntConsumer NO_FAULT = k -> { };

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
        Sched s;
        try {
            s = new Sched("warmup", 1);
        } catch (Throwable e) {
            return;                                      // out of memory already: no warm-up
        }
        try {
            s.main(() -> {
                try {
                    for (int r = 0; r < ROUNDS; r++) {
                        if (!round(s, GOROUTINES, NO_FAULT)) {
                            return;
                        }
                    }
                } catch (Throwable e) {
                    // out of memory before a round started a goroutine: nothing to release,
                    // and nothing to print (a panic would be printed as the program's)
                }
            });
        } catch (Throwable e) {
            // a warm-up must never disturb the program: it only makes the first wake-ups faster
        } finally {
            try {
                s.close();                               // waits for every warm-up goroutine
            } catch (Throwable e) {
                // out of memory even here: the daemon thread ends quietly
            }
        }
    }

    /**
     * Every goroutine blocks once in each primitive and is woken. False if the round failed:
     * memory ran out, most likely, as the program may fill the heap at start-up. Whoever fails
     * first, the main goroutine or one of the others, closes the round's channels. Then every
     * goroutine the round started runs to its end, the runtime's close() can return, and the
     * warm-up stops. Nothing is printed: each goroutine keeps its own failure to itself, since a
     * warm-up goroutine's panic would be printed as the program's.
     *
     * @param fault called by goroutine k (0..n-1) once it is through the gate, and with -1 by
     *     the main goroutine once it opened the gate: where a test makes the round fail
     */
    static boolean round(Sched s, int n, IntConsumer fault) {
        Chan<Integer> unbuffered = Chan.make();
        Chan<Integer> buffered = Chan.make(16);
        Chan<Integer> other = Chan.make();
        Chan<Object> gate = Chan.make();
        Mutex mu = new Mutex();
        WaitGroup parked = new WaitGroup();
        WaitGroup done = new WaitGroup();
        AtomicBoolean failed = new AtomicBoolean();
        try {
            parked.add(n);
            done.add(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                s.newproc(null, () -> {
                    try {
                        parked.done();
                        gate.recv();                         // a mass wake-up by close
                        fault.accept(k);
                        unbuffered.send(k);                  // hand-off to a waiting receiver
                        Select.select(Select.recv(other, v -> { }), Select.recv(buffered, v -> { }));
                        mu.lock();
                        mu.unlock();
                        Time.sleep(Duration.ofNanos(1000));
                    } catch (Throwable e) {
                        abort(failed, gate, unbuffered, other, buffered);
                    } finally {
                        done.done();
                    }
                });
            }
            parked.await();
            gate.close();
            fault.accept(-1);
            for (int i = 0; i < n; i++) {
                if (unbuffered.recv() == null) {             // closed: a goroutine failed
                    return false;
                }
                if ((i & 1) == 0) {
                    other.send(i);
                } else {
                    buffered.send(i);
                }
            }
            done.await();
            return !failed.get();
        } catch (Throwable e) {
            abort(failed, gate, unbuffered, other, buffered);
            return false;
        }
    }

    /**
     * Fails the round: closes its channels (allocating nothing), which releases every goroutine
     * parked in it. One parked in gate.recv goes on, one in unbuffered.send throws, and the
     * select sees a closed channel as ready. None can be blocked in mu.lock, since the holder
     * unlocks before it can fail.
     */
    private static void abort(AtomicBoolean failed, Chan<?> a, Chan<?> b, Chan<?> c, Chan<?> d) {
        failed.set(true);
        closeQuietly(a);
        closeQuietly(b);
        closeQuietly(c);
        closeQuietly(d);
    }

    private static void closeQuietly(Chan<?> c) {
        try {
            c.close();
        } catch (Throwable e) {
            // closed already (by another goroutine that failed), or out of memory
        }
    }
}
