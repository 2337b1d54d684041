package dev.goloom.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.goloom.Chan;
import dev.goloom.Recv;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * <b>Closed-channel fast path</b> (internal/chan/HChan.java, "Memory ordering": qcount and
 * closed are written with release under the lock and read with acquire by the lock-free probes;
 * Go's chan.go argument that two ordered observations imply a moment at which the channel was
 * both "open" and "not ready").
 *
 * <p>A buffered channel gets a value and is then closed; meanwhile {@code tryRecv} answers
 * without the lock when it can. The hazard is a probe that sees {@code closed} but a stale
 * {@code qcount == 0} and reports "closed and drained" while the value sent before the close is
 * still in the buffer: the value would be lost.
 *
 * {@snippet lang="shell" :
 * ./goloom jcstress -t ChanClosedFastPath
 * }
 */
@JCStressTest
@Outcome(id = "EMPTY", expect = ACCEPTABLE, desc = "tryRecv ran before the send: nothing ready, channel open.")
@Outcome(id = "VALUE", expect = ACCEPTABLE, desc = "tryRecv got the value (before or after the close).")
@Outcome(id = "CLOSED", expect = FORBIDDEN, desc = "tryRecv reported closed-and-drained while the value sent before close was in the buffer: the value was lost.")
@Outcome(id = "BAD.*", expect = FORBIDDEN, desc = "Any other answer (a wrong value, ok=true with null).")
@State
public class ChanClosedFastPath {
    private final Chan<Integer> ch = Chan.make(1);

    @Actor
    public void sender() {
        ch.trySend(7);
        ch.close();
    }

    @Actor
    public void receiver(L_Result r) {
        Recv<Integer> got = ch.tryRecv();
        if (got == null) {
            r.r1 = "EMPTY";
        } else if (got.ok() && Integer.valueOf(7).equals(got.value())) {
            r.r1 = "VALUE";
        } else if (!got.ok() && got.value() == null) {
            r.r1 = "CLOSED";
        } else {
            r.r1 = "BAD " + got;
        }
    }
}
