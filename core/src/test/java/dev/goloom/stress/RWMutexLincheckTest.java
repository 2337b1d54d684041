package dev.goloom.stress;

import static dev.goloom.testing.LinearizabilityChecker.BLOCKS;

import dev.goloom.sync.RWMutex;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.Lincheck;
import dev.goloom.testing.LinearizabilityChecker;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RWMutex} is linearizable against the sequential specification "one writer or any number
 * of readers": lincheck (model checking and stress) over the non-blocking {@code tryLock},
 * {@code tryRLock}, {@code unlock}, {@code rUnlock}; and {@link LinearizabilityChecker} from
 * plain threads over the blocking {@code lock}/{@code rLock} too (a {@code lock} still pending
 * at the end must face a held lock, a pending {@code rLock} a writer; otherwise it is a lost
 * wake-up).
 *
 * <p>Each thread unlocks only what it locked itself (its thread id is an argument, so the
 * specification tracks ownership too): {@code unlock}/{@code rUnlock} of what the calling thread
 * does not hold answers {@code "not held"} without calling the RWMutex. That keeps Go's misuse
 * (a fatal error in Go) out of the concurrent scenarios; {@link #misuseIsNotAtomic()} shows why.
 */
class RWMutexLincheckTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    private static final int SLOTS = 16;

    private static int slot(int tid) {
        return Math.floorMod(tid, SLOTS);
    }

    /** The sequential specification: who holds the write lock, how many read locks each thread holds. */
    public static final class Spec {
        private int writer = -1;
        private final int[] readers = new int[SLOTS];

        private int readers() {
            return Arrays.stream(readers).sum();
        }

        public boolean tryLock(int tid) {
            if (writer >= 0 || readers() > 0) {
                return false;
            }
            writer = slot(tid);
            return true;
        }

        public boolean tryRLock(int tid) {
            if (writer >= 0) {
                return false;
            }
            readers[slot(tid)]++;
            return true;
        }

        public String unlock(int tid) {
            if (writer != slot(tid)) {
                return "not held";
            }
            writer = -1;
            return "ok";
        }

        public String rUnlock(int tid) {
            if (readers[slot(tid)] == 0) {
                return "not held";
            }
            readers[slot(tid)]--;
            return "ok";
        }
    }

    /**
     * The RWMutex with each thread's holdings in front of it. A thread's slot is written only by
     * that thread (and, in the blocking check, by the cleanup once the thread has stopped).
     */
    public static final class Owned {
        final RWMutex mu = new RWMutex();
        final AtomicIntegerArray writes = new AtomicIntegerArray(SLOTS);
        final AtomicIntegerArray reads = new AtomicIntegerArray(SLOTS);

        /**
         * Serializes tryLock calls among themselves (see {@link #concurrentTryLocksFailSpuriously()})
         * and with unlock: Go's Unlock re-admits readers before it releases its writer mutex, so a
         * TryLock in between fails although a reader can already get in (found by the stress-mode
         * model check; spurious, as Go's TryLock, and documented on RWMutex.tryLock).
         */
        private final Object tryLockGate = new Object();

        @Operation
        public boolean tryLock(@Param(gen = ThreadIdGen.class) int tid) {
            boolean ok;
            synchronized (tryLockGate) {
                ok = mu.tryLock();
            }
            if (ok) {
                writes.incrementAndGet(slot(tid));
            }
            return ok;
        }

        @Operation
        public boolean tryRLock(@Param(gen = ThreadIdGen.class) int tid) {
            boolean ok = mu.tryRLock();
            if (ok) {
                reads.incrementAndGet(slot(tid));
            }
            return ok;
        }

        @Operation
        public String unlock(@Param(gen = ThreadIdGen.class) int tid) {
            if (writes.get(slot(tid)) == 0) {
                return "not held";
            }
            writes.decrementAndGet(slot(tid));
            synchronized (tryLockGate) {
                mu.unlock();
            }
            return "ok";
        }

        @Operation
        public String rUnlock(@Param(gen = ThreadIdGen.class) int tid) {
            if (reads.get(slot(tid)) == 0) {
                return "not held";
            }
            reads.decrementAndGet(slot(tid));
            mu.rUnlock();
            return "ok";
        }

        void lock(int tid) {
            mu.lock();
            writes.incrementAndGet(slot(tid));
        }

        void rLock(int tid) {
            mu.rLock();
            reads.incrementAndGet(slot(tid));
        }

        /** Releases every lock the scenario holds (for blocked threads that ignore interrupts). */
        void releaseAll() {
            for (int i = 0; i < SLOTS; i++) {
                for (int n = reads.getAndSet(i, 0); n > 0; n--) {
                    mu.rUnlock();
                }
                if (writes.getAndSet(i, 0) > 0) {
                    mu.unlock();
                }
            }
        }
    }

    /** The RWMutex as is: {@code unlock}/{@code rUnlock} of what is not held throw (Go: fatal error). */
    public static final class Raw {
        private final RWMutex mu = new RWMutex();

        @Operation
        public boolean tryLock() {
            return mu.tryLock();
        }

        @Operation
        public boolean tryRLock() {
            return mu.tryRLock();
        }

        @Operation
        public String unlock() {
            try {
                mu.unlock();
                return "ok";
            } catch (IllegalStateException e) {
                return "not held";
            }
        }

        @Operation
        public String rUnlock() {
            try {
                mu.rUnlock();
                return "ok";
            } catch (IllegalStateException e) {
                return "not held";
            }
        }
    }

    /** {@link Raw}'s specification: no owners, a misused unlock changes nothing. */
    public static final class RawSpec {
        private boolean writer;
        private int readers;

        public boolean tryLock() {
            if (writer || readers > 0) {
                return false;
            }
            writer = true;
            return true;
        }

        public boolean tryRLock() {
            if (writer) {
                return false;
            }
            readers++;
            return true;
        }

        public String unlock() {
            if (!writer) {
                return "not held";
            }
            writer = false;
            return "ok";
        }

        public String rUnlock() {
            if (readers == 0) {
                return "not held";
            }
            readers--;
            return "ok";
        }
    }

    @Test
    void modelChecking() {
        Lincheck.modelChecking().threads(3).actorsPerThread(3).sequentialSpecification(Spec.class)
                .check(Owned.class);
    }

    @Test
    void stress() {
        Lincheck.stress().threads(3).actorsPerThread(3).sequentialSpecification(Spec.class)
                .check(Owned.class);
    }

    /**
     * Finding, not in the default run: misuse is not atomic. {@code unlock()} of an unlocked
     * RWMutex adds {@code MAX_READERS} to the reader count and then takes it back before throwing;
     * a {@code tryLock()} in between fails on a mutex nobody holds ({@code rUnlock()} of an
     * unlocked one: a concurrent {@code tryRLock()} or {@code tryLock()} fails the same way).
     * Worse, lincheck's counterexample: a misused {@code unlock()} racing a misused
     * {@code rUnlock()} on an unlocked RWMutex: unlock adds {@code MAX_READERS} (0 becomes
     * {@code MAX_READERS}), rUnlock then sees a non-negative count and <em>returns normally</em>,
     * unlock undoes its add: the reader count is left at -1, which reads as "a writer is pending"
     * for ever (every tryLock/tryRLock fails from then on). The RWMutex Javadoc documents this
     * (a misuse racing other calls may change the lock's state; it points here). (Go dies at the
     * misuse, so it has no such window.)
     */
    @Test
    @Disabled("finding: RWMutex misuse is not atomic (see Javadoc); remove to reproduce")
    void misuseIsNotAtomic() {
        Lincheck.modelChecking().threads(3).actorsPerThread(3).sequentialSpecification(RawSpec.class)
                .check(Raw.class);
    }

    /**
     * Finding, not in the default run: {@code tryLock()} can fail on a free RWMutex when it races
     * another {@code tryLock()} (Go's algorithm: the loser of the internal writer mutex returns
     * false even if the winner then backs off because a reader came). lincheck's counterexample:
     * T1 {@code tryLock()} takes the writer mutex; T3 {@code tryLock()} fails (mutex taken) and
     * returns; T2 {@code tryRLock()} then succeeds; T1's reader-count CAS fails and it backs off:
     * T3's false has no linearization point at which any lock was held. Go's {@code TryLock}
     * behaves the same; goloom's Javadoc documents it ("or (rarely) when racing another locker").
     * The default tests serialize tryLock calls ({@code tryLockGate}) to check the rest.
     */
    @Test
    @Disabled("finding: concurrent tryLock calls fail spuriously (Go's algorithm too); remove to reproduce")
    void concurrentTryLocksFailSpuriously() {
        Lincheck.modelChecking().iterations(50).threads(3).actorsPerThread(1).actorsBefore(0).actorsAfter(0)
                .sequentialSpecification(RawSpec.class).check(RawTryOnly.class);
    }

    /** Raw try-locks only (no misuse possible: no unlocks). */
    public static final class RawTryOnly {
        private final RWMutex mu = new RWMutex();

        @Operation
        public boolean tryLock() {
            return mu.tryLock();
        }

        @Operation
        public boolean tryRLock() {
            return mu.tryRLock();
        }
    }

    /** The blocking check's model: the writer's thread (or -1) and each thread's read locks. */
    record Model(int[] writer, int[] readers) {
        Model() {
            this(new int[] {-1}, new int[SLOTS]);
        }

        Model copy() {
            return new Model(writer.clone(), readers.clone());
        }

        boolean free() {
            return writer[0] < 0 && Arrays.stream(readers).sum() == 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && m.writer[0] == writer[0] && Arrays.equals(m.readers, readers);
        }

        @Override
        public int hashCode() {
            return writer[0] * 31 + Arrays.hashCode(readers);
        }
    }

    @Test
    void blockingLockAndRLock() {
        LinearizabilityChecker.of(Owned::new, Model::new, Model::copy)
                .quiet(Duration.ofMillis(30))
                .unblock(Owned::releaseAll)   // rLock and an announced lock ignore interrupts
                .threadOp("lock", (r, tid) -> tid, (o, x) -> {
                    o.lock((Integer) x);
                    return null;
                }, (m, x) -> {
                    if (!m.free()) {
                        return BLOCKS;
                    }
                    m.writer[0] = (Integer) x;
                    return null;
                })
                // Go's writer preference: a reader waits behind a *waiting* writer too, which a
                // one-operation-at-a-time model cannot see; so while readers hold the lock, an
                // rLock may stay pending (a writer may be waiting behind them) and a tryRLock
                // may fail. On a free lock neither may.
                .threadChoiceOp("rLock", (r, tid) -> tid, (o, x) -> {
                    o.rLock((Integer) x);
                    return null;
                }, (m, x, seen) -> {
                    if (m.writer[0] >= 0 || (seen == LinearizabilityChecker.PENDING && !m.free())) {
                        return BLOCKS;
                    }
                    m.readers[(Integer) x]++;
                    return null;
                })
                .threadChoiceOp("tryRLock", (r, tid) -> tid, (o, x) -> o.tryRLock((Integer) x), (m, x, seen) -> {
                    if (m.writer[0] >= 0) {
                        return Boolean.FALSE.equals(seen) ? null : LinearizabilityChecker.REJECTED;
                    }
                    if (Boolean.TRUE.equals(seen)) {
                        m.readers[(Integer) x]++;
                        return null;
                    }
                    return m.free() ? LinearizabilityChecker.REJECTED : null;
                })
                .threadOp("tryLock", (r, tid) -> tid, (o, x) -> o.tryLock((Integer) x), (m, x) -> {
                    if (!m.free()) {
                        return false;
                    }
                    m.writer[0] = (Integer) x;
                    return true;
                })
                .threadOp("unlock", (r, tid) -> tid, (o, x) -> o.unlock((Integer) x), (m, x) -> {
                    if (m.writer[0] != (Integer) x) {
                        return "not held";
                    }
                    m.writer[0] = -1;
                    return "ok";
                })
                .threadOp("rUnlock", (r, tid) -> tid, (o, x) -> o.rUnlock((Integer) x), (m, x) -> {
                    if (m.readers[(Integer) x] == 0) {
                        return "not held";
                    }
                    m.readers[(Integer) x]--;
                    return "ok";
                })
                .check(3, 4, 40);
    }
}
