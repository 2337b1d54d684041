package dev.goloom.sync;

import dev.goloom.GoInterruptedException;
import dev.goloom.Task;
import dev.goloom.internal.sched.Sched;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.syncx.Sema;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Waits for a collection of goroutines to finish: Go's {@code sync.WaitGroup}.
 *
 * <p>The counter starts at zero. {@link #add(int)} adds to it (typically the number of goroutines
 * about to start), each goroutine calls {@link #done()} when it finishes, and {@link #await()}
 * blocks until the counter is zero. {@link #go(Task)} does all three bookkeeping steps for one
 * task, as Go 1.25's {@code wg.Go(f)}.
 *
 * {@snippet :
 * WaitGroup wg = new WaitGroup();
 * for (String url : urls) {
 *     wg.go(() -> fetch(url));      // add(1); go { try { fetch(url) } finally { done() } }
 * }
 * wg.await();                       // every fetch has finished
 * }
 *
 * <h2>Rules (as Go's)</h2>
 * Calls of {@code add} with a positive delta that start from a zero counter must happen before
 * {@code await}. A WaitGroup may be reused, but only after every {@code await} of the previous
 * round has returned. Misuse throws {@link IllegalStateException} with Go's message:
 * {@code "sync: negative WaitGroup counter"} (the counter is left unchanged when the misuse
 * races nothing; a misused {@code done()} racing an {@code await()} can strand that waiter, as
 * in Go, where the panic would end the program: {@code WaitGroupLincheckTest}),
 * {@code "sync: WaitGroup misuse: Add called concurrently with Wait"}, and
 * {@code "sync: WaitGroup is reused before previous Wait has returned"} (thrown by the
 * {@code await} that detects it, as Go panics there). Go detects the last two on a best-effort
 * basis, and so does this class.
 *
 * <h2>Blocking and interruption</h2>
 * A blocked {@code await()} shows in dumps as {@code [sync.WaitGroup.Wait]}. If its thread is
 * interrupted it throws {@link GoInterruptedException} (flag kept) and no longer counts as a
 * waiter; if the counter reached zero before it could withdraw, it returns normally instead
 * (with the flag still set): the wait did complete.
 *
 * <h2>Memory consistency effects</h2>
 * Actions before a {@code done()} (or {@code add} that brings the counter to zero) happen-before
 * any {@code await()} that returns because of it (Go: "a call to Done synchronizes before the
 * return of any Wait call that it unblocks").
 */
public final class WaitGroup {
    /* Implementation notes
     *
     * Overview
     *   Go's layout: one long, the counter in the high 32 bits, the number of waiters in the low
     *   32. await() counts itself with a CAS and sleeps on sema; the add() that brings the counter
     *   to zero with waiters present resets the whole word to 0 and releases one token per
     *   waiter. A woken waiter checks the word is still 0, else the group was reused too early.
     *
     * Lineage
     *   golang/go src/sync/waitgroup.go @go1.25 (Add, Done, Wait, Go; without race and synctest
     *   hooks). Deviations: add() with a negative result undoes itself before throwing; an
     *   interrupted await withdraws (Go has no interrupts): it uncounts itself with a CAS unless
     *   the counter already reached zero, in which case a token is on its way and it takes it.
     *
     * Invariants
     *   I1 counter >= 0 (a decrement below zero is undone and reported).
     *   I2 the waiter count is the number of await() calls counted since the last reset that have
     *      not withdrawn; the reset releases exactly that many tokens.
     *
     * Ownership & locking
     *   state: CAS/getAndAdd by everyone; no lock. sema: see Sema.
     *
     * Memory ordering
     *   add's getAndAdd (volatile) and the reset's volatile store, then sema.release, pair with
     *   the waiter's sema acquire: the done() before the reset happens-before await() returns.
     *
     * Rejected alternatives
     *   CountDownLatch / Phaser: no Add after creation (latch), no wait reason, and neither has
     *   Go's misuse checks.
     */

    private volatile long state;
    private final Sema sema = new Sema();

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WaitGroup.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A WaitGroup with counter zero (Go's zero value). */
    public WaitGroup() {
    }

    /**
     * Adds {@code delta}, which may be negative, to the counter. When it reaches zero, every
     * goroutine blocked in {@link #await()} is released.
     *
     * @throws IllegalStateException {@code "sync: negative WaitGroup counter"} if it would go
     *         below zero (the counter is left unchanged), or Go's misuse messages (see class doc)
     */
    public void add(int delta) {
        long s = (long) STATE.getAndAdd(this, (long) delta << 32) + ((long) delta << 32);
        int v = (int) (s >> 32);   // counter
        int w = (int) s;           // waiters
        if (v < 0) {
            STATE.getAndAdd(this, -((long) delta << 32));   // undo: keeps I1
            throw new IllegalStateException("sync: negative WaitGroup counter");
        }
        if (w != 0 && delta > 0 && v == delta) {
            throw new IllegalStateException("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        if (v > 0 || w == 0) {
            return;
        }
        // counter is 0 and there are waiters: nobody may change the state now (Go's rule)
        if (state != s) {
            throw new IllegalStateException("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        state = 0;                 // reset the waiter count (I2); volatile: before the release
        sema.release(w, false);
    }

    /** Decrements the counter by one: {@code add(-1)}. */
    public void done() {
        add(-1);
    }

    /**
     * Blocks until the counter is zero; returns at once if it already is.
     *
     * @throws GoInterruptedException if interrupted before the counter reached zero
     * @throws IllegalStateException {@code "sync: WaitGroup is reused before previous Wait has
     *         returned"} on detected reuse
     */
    public void await() {
        for (;;) {
            long s = state;
            if ((int) (s >> 32) == 0) {
                return;            // counter is 0, no need to wait
            }
            if (STATE.compareAndSet(this, s, s + 1)) {   // count ourselves (I2)
                if (!sema.acquireInterruptibly(this, WaitReason.WAIT_GROUP_WAIT, false)) {
                    withdraw();    // throws unless the wait completed meanwhile
                }
                if (state != 0) {
                    throw new IllegalStateException(
                            "sync: WaitGroup is reused before previous Wait has returned");
                }
                return;
            }
        }
    }

    /** An interrupted waiter that holds no token uncounts itself, or takes the token owed to it. */
    private void withdraw() {
        for (;;) {
            long s = state;
            if ((int) s == 0) {
                // the reset happened: a token was (or is being) released for us; take it
                sema.acquire(this, WaitReason.WAIT_GROUP_WAIT, false);
                return;
            }
            if (STATE.compareAndSet(this, s, s - 1)) {   // keeps I2
                throw new GoInterruptedException("sync: WaitGroup.await interrupted");
            }
        }
    }

    /**
     * Runs {@code task} in a new goroutine and counts it: Go 1.25's {@code wg.Go(f)}. Equivalent
     * to {@code add(1)} followed by a goroutine that runs the task and then calls
     * {@code done()}, even if the task throws (the exception is still a panic of that goroutine).
     * The goroutine starts in the caller's runtime when the caller is a goroutine, else in the
     * global runtime.
     */
    public void go(Task task) {
        Objects.requireNonNull(task, "sync: WaitGroup.go(null)");
        add(1);
        Task body = () -> {
            try {
                task.run();
            } finally {
                done();
            }
        };
        try {
            Sched.goHere(null, body);
        } catch (RuntimeException | Error e) {
            done();                // the goroutine never started
            throw e;
        }
    }

    /** The counter (tests and debugging). */
    int counter() {
        return (int) (state >> 32);
    }

    /** The number of counted waiters (tests and debugging). */
    int waiters() {
        return (int) state;
    }

    @Override
    public String toString() {
        long s = state;
        return "WaitGroup[counter=" + (int) (s >> 32) + ", waiters=" + (int) s + "]";
    }
}
