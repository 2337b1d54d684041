package dev.goloom.stress;

import static dev.goloom.testing.LinearizabilityChecker.BLOCKS;

import dev.goloom.sync.Mutex;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.LinearizabilityChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutex's blocking {@code lock}, {@code tryLock} and {@code unlock} (from any thread, as Go
 * allows) are linearizable and lose no wake-up, checked from plain threads with
 * {@link LinearizabilityChecker}: a pending {@code lock} at the end must face a locked mutex.
 */
class MutexBlockingLincheckTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    /** A mutex as a sequential model: held or not. */
    record Model(boolean[] held) {
        Model() {
            this(new boolean[1]);
        }

        Model copy() {
            return new Model(new boolean[] {held[0]});
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && m.held[0] == held[0];
        }

        @Override
        public int hashCode() {
            return held[0] ? 1 : 0;
        }
    }

    @Test
    void lockTryLockUnlock() {
        LinearizabilityChecker.of(Mutex::new, Model::new, Model::copy)
                .quiet(java.time.Duration.ofMillis(30))
                .op("lock", r -> null, (mu, x) -> {
                    mu.lock();
                    return null;
                }, (m, x) -> {
                    if (m.held[0]) {
                        return BLOCKS;
                    }
                    m.held[0] = true;
                    return null;
                })
                .op("tryLock", r -> null, (mu, x) -> mu.tryLock(), (m, x) -> {
                    boolean got = !m.held[0];
                    m.held[0] = true;
                    return got;
                })
                .op("unlock", r -> null, (mu, x) -> {
                    mu.unlock();
                    return null;
                }, (m, x) -> {
                    if (!m.held[0]) {
                        return "IllegalStateException";
                    }
                    m.held[0] = false;
                    return null;
                })
                .check(3, 3, 60);
    }
}
