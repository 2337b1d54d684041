package dev.goloom.internal.sched;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * <b>Steal-half claim</b> (internal/sched/RunQueue.java, invariant I3: "an element is taken
 * exactly once: takers claim [h, h+n) by CAS head h -> h+n; a taker uses the slots it read only
 * if its CAS succeeded").
 *
 * <p>The owner P takes from the head of its queue while another P steals half of it (two actors,
 * so it runs on a 2-CPU machine; {@link StealHalfClaimTwoThieves} adds a second thief).
 * Each taker reads the slots first and then claims them with one CAS on {@code head}; a taker
 * whose CAS fails must throw away what it read. The hazard is a double take (two Ps run the same
 * goroutine) or a lost element (a goroutine nobody runs). The arbiter gathers what the owner got,
 * what the thief got (the element it returns plus the rest it moved into its own queue) and what
 * is left, and checks the four elements are there exactly once.
 *
 * {@snippet lang="shell" :
 * ./goloom jcstress -t StealHalfClaim
 * }
 */
@JCStressTest
@Outcome(id = "OK", expect = ACCEPTABLE, desc = "Every element taken exactly once, by the owner, one thief, or still queued.")
@Outcome(id = "DUPLICATE.*", expect = FORBIDDEN, desc = "An element was taken twice: a taker used slots after losing the CAS on head.")
@Outcome(id = "LOST.*", expect = FORBIDDEN, desc = "An element vanished: claimed by a CAS but never handed to anyone.")
@State
public class StealHalfClaim {
    private final RunQueue<Integer> victim = new RunQueue<>();
    private final RunQueue<Integer> thief1 = new RunQueue<>();
    private Integer ownerGot1;
    private Integer ownerGot2;
    private Integer thief1Got;

    public StealHalfClaim() {
        for (int i = 1; i <= 4; i++) {
            victim.put(i, false); // the constructor is the owner until the actors start (jcstress publishes the state)
        }
    }

    @Actor
    public void owner() {
        ownerGot1 = victim.getRing();
        ownerGot2 = victim.getRing();
    }

    @Actor
    public void stealer1() {
        thief1Got = thief1.steal(victim, false);
    }

    @Arbiter
    public void check(L_Result r) {
        List<Integer> all = new ArrayList<>();
        for (Integer x : new Integer[] {ownerGot1, ownerGot2, thief1Got}) {
            if (x != null) {
                all.add(x);
            }
        }
        thief1.drain(all::add);
        victim.drain(all::add);
        r.r1 = verdict(all);
    }

    /**
     * The outcome for what every taker got plus what is left: "OK" if elements 1..4 are each
     * there exactly once, else the first one DUPLICATE or LOST (shared with the two-thief test).
     */
    static String verdict(List<Integer> all) {
        int[] seen = new int[5];
        for (int x : all) {
            seen[x]++;
        }
        for (int i = 1; i <= 4; i++) {
            if (seen[i] > 1) {
                return "DUPLICATE " + i;
            }
            if (seen[i] == 0) {
                return "LOST " + i;
            }
        }
        return "OK";
    }
}
