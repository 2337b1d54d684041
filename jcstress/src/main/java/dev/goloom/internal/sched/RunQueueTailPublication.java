package dev.goloom.internal.sched;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * <b>Run queue tail publication</b> (internal/sched/RunQueue.java, "Memory ordering":
 * {@code setTailRelease(t+1)} after the slot write pairs with {@code tailAcquire()} in
 * {@code grab()}).
 *
 * <p>The owner P writes a ring slot with a plain store, then publishes it by a release store of
 * {@code tail}; a stealer that reads the new tail with acquire must see the slot, and through
 * it the element's own plain fields written before the put (a new goroutine's record). If the
 * tail store were plain, a stealer could see {@code tail} moved and read a null or stale slot.
 * (In package {@code dev.goloom.internal.sched} to reach the package-private queue; jcstress runs
 * on the class path.)
 *
 * {@snippet lang="shell" :
 * ./goloom jcstress -t RunQueueTailPublication
 * }
 */
@JCStressTest
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "The steal ran before the put was published: nothing to steal.")
@Outcome(id = "42", expect = ACCEPTABLE, desc = "The stealer took the element and saw its field as written before the put.")
@Outcome(id = "0", expect = FORBIDDEN, desc = "The stealer took the element but saw its field unwritten: the slot was published without the element's contents.")
@Outcome(id = "-2", expect = FORBIDDEN, desc = "The stealer saw the new tail but a null slot: tail published before the slot write.")
@State
public class RunQueueTailPublication {
    /** A stand-in for a g: one plain field written before the put. */
    static final class Item {
        int value;
    }

    private final RunQueue<Item> owner = new RunQueue<>();
    private final RunQueue<Item> thief = new RunQueue<>();

    @Actor
    public void ownerP() {
        Item it = new Item();
        it.value = 42;
        owner.put(it, false);
    }

    @Actor
    public void stealerP(I_Result r) {
        Item got;
        try {
            got = thief.steal(owner, false);
        } catch (NullPointerException e) {
            r.r1 = -2;
            return;
        }
        r.r1 = got == null ? -1 : got.value;
    }
}
