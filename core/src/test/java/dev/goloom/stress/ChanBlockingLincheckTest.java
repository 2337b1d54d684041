package dev.goloom.stress;

import static dev.goloom.testing.LinearizabilityChecker.BLOCKS;

import dev.goloom.Chan;
import dev.goloom.ChanClosedException;
import dev.goloom.Recv;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.LinearizabilityChecker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Buffered channels' <em>blocking</em> send and receive, with close, are linearizable and lose no
 * wake-up: {@link LinearizabilityChecker} from plain threads (lincheck cannot express "still
 * blocked"; the channel package's own *LincheckTest classes cover the non-blocking forms).
 */
class ChanBlockingLincheckTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    /** Go's buffered channel as a sequential model. */
    record Model(int cap, List<Integer> buf, boolean[] closed) {
        Model(int cap) {
            this(cap, new ArrayList<>(), new boolean[1]);
        }

        Model copy() {
            return new Model(cap, new ArrayList<>(buf), new boolean[] {closed[0]});
        }

        Object send(int x) {
            if (closed[0]) {
                return "ChanClosedException";
            }
            if (buf.size() == cap) {
                return BLOCKS;
            }
            buf.add(x);
            return null;
        }

        Object recv() {
            if (!buf.isEmpty()) {
                return new Recv<>(buf.remove(0), true);
            }
            return closed[0] ? new Recv<>(null, false) : BLOCKS;
        }

        Object close() {
            if (closed[0]) {
                return "ChanClosedException";
            }
            closed[0] = true;
            return null;
        }

        // value equality: boolean[] compares by identity otherwise
        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && m.cap == cap && m.buf.equals(buf) && m.closed[0] == closed[0];
        }

        @Override
        public int hashCode() {
            return buf.hashCode() * 31 + (closed[0] ? 1 : 0);
        }
    }

    private static LinearizabilityChecker<Chan<Integer>, Model> checker(int cap, boolean withClose) {
        LinearizabilityChecker<Chan<Integer>, Model> c = LinearizabilityChecker
                .of(() -> Chan.<Integer>make(cap), () -> new Model(cap), Model::copy)
                .quiet(java.time.Duration.ofMillis(30))
                .op("send", r -> r.nextInt(4), (ch, x) -> {
                    ch.send((Integer) x);
                    return null;
                }, (m, x) -> m.send((Integer) x))
                .op("recv", r -> null, (ch, x) -> ch.recvOk(), (m, x) -> m.recv());
        if (withClose) {
            c.op("close", r -> null, (ch, x) -> {
                try {
                    ch.close();
                    return null;
                } catch (ChanClosedException e) {
                    return "ChanClosedException";
                }
            }, (m, x) -> m.close());
        }
        return c;
    }

    @ParameterizedTest(name = "cap={0}")
    @ValueSource(ints = {1, 2})
    void sendRecv(int cap) {
        checker(cap, false).check(3, 3, 40);
    }

    @Test
    void sendRecvClose() {
        checker(2, true).check(3, 3, 40);
    }
}
