package dev.goloom.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.goloom.Chan;
import dev.goloom.Select;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * <b>Select claim</b> (internal/chan/SelectState.java, "Memory ordering": concurrent wakers on
 * different channels race on {@code selectDone} with a CAS, their only arbitration, as in Go;
 * {@code winner} is published with release and read with acquire by the woken select).
 *
 * <p>A thread is parked in a select receiving from two unbuffered channels; two senders
 * {@code trySend} on one channel each at the same moment. A trySend succeeds only by handing its
 * value to a waiting receiver, so at most one may succeed: the select runs one case. The hazard
 * is a double claim (both senders think they delivered, one value is lost) or a winner whose
 * value the select does not see. The arbiter closes both channels (ending a select nobody won)
 * and reports which sends succeeded and what the select received.
 *
 * {@snippet lang="shell" :
 * ./goloom jcstress -t SelectClaim
 * }
 */
@JCStressTest
@Outcome(id = {"true, false, 1", "false, true, 2"}, expect = ACCEPTABLE, desc = "One sender won; the select received its value.")
@Outcome(id = "false, false, 0", expect = ACCEPTABLE, desc = "Neither trySend found the select waiting (it had not parked yet); closing ended it.")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "Double claim: both senders delivered to one select; a value is lost.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A sender won but the select received something else (winner published without its value).")
@State
public class SelectClaim {
    private final Chan<Integer> a = Chan.make();
    private final Chan<Integer> b = Chan.make();
    private final AtomicInteger got = new AtomicInteger(-1);
    private final Thread selector;

    public SelectClaim() {
        selector = Thread.ofVirtual().start(() -> Select.select(
                Select.recvOk(a, (v, ok) -> got.set(ok ? v : 0)),
                Select.recvOk(b, (v, ok) -> got.set(ok ? v : 0))));
        // let it park most of the time (not always: "false, false, 0" is then a valid outcome)
        for (int i = 0; i < 1000 && selector.getState() != Thread.State.WAITING; i++) {
            Thread.onSpinWait();
        }
    }

    @Actor
    public void sendA(ZZI_Result r) {
        r.r1 = a.trySend(1);
    }

    @Actor
    public void sendB(ZZI_Result r) {
        r.r2 = b.trySend(2);
    }

    @Arbiter
    public void arbiter(ZZI_Result r) {
        a.close();
        b.close();
        try {
            selector.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.r3 = got.get();
        LockSupport.unpark(selector); // no-op; keeps the thread reachable until here
    }
}
