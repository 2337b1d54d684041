package dev.goloom.stress;

import static dev.goloom.testing.LinearizabilityChecker.BLOCKS;
import static dev.goloom.testing.LinearizabilityChecker.PENDING;
import static dev.goloom.testing.LinearizabilityChecker.REJECTED;

import dev.goloom.Chan;
import dev.goloom.Recv;
import dev.goloom.Select;
import dev.goloom.testing.GoTestSupport;
import dev.goloom.testing.LinearizabilityChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code select} over two buffered channels is linearizable and loses no wake-up:
 * {@link LinearizabilityChecker} from plain threads over blocking sends on each channel, a
 * blocking select receiving from either, a blocking select sending to either, a select with
 * {@code otherwise}, and a plain {@code tryRecv}. The check is of <em>which case fired against
 * the channels' contents</em>: a select that received {@code a:v} is only linearizable where
 * {@code v} is at the head of {@code a}; one that sent to {@code b} only where {@code b} had room;
 * {@code otherwise} only where both were empty; a select still blocked at the end must face two
 * empty (two full) channels, else it is a lost wake-up.
 *
 * <p>Not lincheck: when both cases are ready Go's select picks one uniformly at random, so no
 * deterministic sequential specification exists; the checker's choice operations judge the
 * observed case instead.
 */
class SelectLincheckTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    /** The two channels. */
    record Pair(Chan<Integer> a, Chan<Integer> b) {
    }

    /** The model: two FIFO buffers of capacity cap. */
    record Model(int cap, List<Integer> a, List<Integer> b) {
        Model(int cap) {
            this(cap, new ArrayList<>(), new ArrayList<>());
        }

        Model copy() {
            return new Model(cap, new ArrayList<>(a), new ArrayList<>(b));
        }

        List<Integer> of(String name) {
            return name.equals("a") ? a : b;
        }
    }

    private static Object send(Model m, String ch, Object x) {
        List<Integer> q = m.of(ch);
        if (q.size() == m.cap()) {
            return BLOCKS;
        }
        q.add((Integer) x);
        return null;
    }

    /** A select's observed "a:v" / "b:v" against the model (or PENDING: could it complete?). */
    private static Object received(Model m, Object seen) {
        if (seen == PENDING) {
            return m.a().isEmpty() && m.b().isEmpty() ? BLOCKS : null;
        }
        String s = (String) seen;
        List<Integer> q = m.of(s.substring(0, 1));
        if (q.isEmpty() || !q.get(0).equals(Integer.valueOf(s.substring(2)))) {
            return q.isEmpty() && m.a().isEmpty() && m.b().isEmpty() ? BLOCKS : REJECTED;
        }
        q.remove(0);
        return null;
    }

    @ParameterizedTest(name = "cap={0}")
    @ValueSource(ints = {1, 2})
    void selectOverTwoChannels(int cap) {
        LinearizabilityChecker.of(() -> new Pair(Chan.make(cap), Chan.make(cap)), () -> new Model(cap), Model::copy)
                .quiet(Duration.ofMillis(30))
                .op("sendA", r -> r.nextInt(100), (p, x) -> {
                    p.a().send((Integer) x);
                    return null;
                }, (m, x) -> send(m, "a", x))
                .op("sendB", r -> r.nextInt(100), (p, x) -> {
                    p.b().send((Integer) x);
                    return null;
                }, (m, x) -> send(m, "b", x))
                .choiceOp("selectRecv", r -> null, (p, x) -> {
                    String[] got = new String[1];
                    Select.select(Select.recv(p.a(), v -> got[0] = "a:" + v),
                            Select.recv(p.b(), v -> got[0] = "b:" + v));
                    return got[0];
                }, (m, x, seen) -> received(m, seen))
                .choiceOp("selectSend", r -> r.nextInt(100), (p, x) -> {
                    String[] to = new String[1];
                    Select.select(Select.send(p.a(), (Integer) x, () -> to[0] = "a"),
                            Select.send(p.b(), (Integer) x, () -> to[0] = "b"));
                    return to[0];
                }, (m, x, seen) -> {
                    if (seen == PENDING) {
                        return m.a().size() == m.cap() && m.b().size() == m.cap() ? BLOCKS : null;
                    }
                    List<Integer> q = m.of((String) seen);
                    if (q.size() == m.cap()) {
                        return m.a().size() == m.cap() && m.b().size() == m.cap() ? BLOCKS : REJECTED;
                    }
                    q.add((Integer) x);
                    return null;
                })
                .choiceOp("selectRecvOrOtherwise", r -> null, (p, x) -> {
                    String[] got = {"none"};
                    Select.select(Select.recv(p.a(), v -> got[0] = "a:" + v),
                            Select.recv(p.b(), v -> got[0] = "b:" + v),
                            Select.otherwise(() -> { }));
                    return got[0];
                }, (m, x, seen) -> {
                    if (seen == PENDING) {
                        return null;   // never blocks
                    }
                    if (seen.equals("none")) {
                        return m.a().isEmpty() && m.b().isEmpty() ? null : REJECTED;
                    }
                    Object r = received(m, seen);
                    return r == BLOCKS ? REJECTED : r;
                })
                .op("tryRecvA", r -> null, (p, x) -> {
                    Recv<Integer> v = p.a().tryRecv();
                    return v == null ? "none" : v.value();
                }, (m, x) -> m.a().isEmpty() ? "none" : m.a().remove(0))
                .check(3, 4, 50);
    }
}
