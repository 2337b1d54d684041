package dev.goloom.time;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import dev.goloom.internal.chan.HChan;
import dev.goloom.internal.timer.TimerFunc;
import dev.goloom.internal.timer.Timers;
import java.time.Instant;

/**
 * The engine behind {@link Time#newTimer}, {@link Time#after}, {@link Time#newTicker} and
 * {@link Time#tick}: a timer of the heap that sends the time on a channel. {@link TimeTimer} and
 * {@link TimeTicker} are its two faces.
 */
abstract class TimerChan {
    /* Implementation notes
     *
     * Overview
     *   Three objects, so that an unreferenced timer costs nothing (Go 1.23):
     *     TimerChan (what the user holds) -> ch (the Chan), st (the State), rec (the engine timer)
     *     heap -> rec -> st (strong: it is rec's TimerFunc), and rec -> hchan only WEAKLY.
     *   Nothing the heap holds strongly reaches the channel, so once neither the user nor a
     *   blocked receiver can reach it, it is collected; the GC enqueues rec's weak reference
     *   and the next Timer.expunge() (at every new channel timer, and every round of the
     *   plain-thread host, ThreadTimerHost) stops
     *   rec, or at the latest the heap drops rec at its next firing. The weak referent is the HChan, not the Chan wrapper: a
     *   goroutine blocked in a select holds only the HChan (through its scase), and must still
     *   be woken; the Chan holds its HChan, so a user holding the Chan keeps it too.
     *   The channel has one slot (Go: a cap-1 buffer that reports cap 0). fire() puts the time in
     *   it with a non-blocking send under st's lock; stop()/reset() drain it under the same lock,
     *   after bumping rec's seq, so a firing that was already in flight finds its seq stale and
     *   drops its value: no stale value once stop/reset has returned (Go 1.23 synchronous timer
     *   channels). A ticker's firing that finds the slot full drops the tick.
     *
     * Lineage
     *   golang/go src/time/sleep.go, tick.go; src/runtime/time.go @go1.23 (sendTime,
     *   timerchandrain, t.seq, isSending, the "pending" result of stop/reset). Deviations: the
     *   channel's one slot is hidden (len and cap report 0, as Go's chanlen/chancap do for a
     *   timer channel); an unreferenced timer's heap entry is dropped at its
     *   would-be firing, rather than never being added while no goroutine blocks on the channel;
     *   a one-shot timer already due when armed delivers inline.
     *
     * Invariants
     *   I1 st.armed is true from arm() until the firing with the current seq delivers (one-shot)
     *      or disarm() ends that arming.
     *   I2 disarm() bumps rec's seq (engine Timer I3, by rec.stop()) before it drains under st,
     *      so a firing that drains-proof delivers must hold a current seq.
     *
     * Ownership & locking
     *   st's monitor guards armed and orders a firing's delivery against the drain of stop/reset.
     *   It is held only around field updates and non-blocking channel operations, NEVER across
     *   a heap operation: fire() runs on a scheduler M, and an M must not wait for a goroutine
     *   that waits for something else (this was a deadlock with the monitor held across
     *   rec.stop()). Order: this, st, then the channel lock.
     *   This object's monitor (Go's t.mu, as held by time.Timer.Stop/Reset) serialises the
     *   user's stop() and reset() calls, so a stop() racing with a reset() of the same timer is
     *   atomic: the outcome and both results match one order of the two calls. Only user
     *   goroutines take it, never a runner, so the M rule above holds.
     *
     * Memory ordering
     *   fire() compares its seq with the volatile rec.seq under st; rec.stop() bumps seq before
     *   disarm() takes st (program order + the monitor), so the comparison sees the bump.
     *
     * Rejected alternatives
     *   Holding the Chan strongly from the heap (Go <= 1.22): an unstopped ticker lives forever.
     *   A Cleaner on the timer object: the user may keep only the channel (Time.after,
     *   Time.tick), so the timer object is the wrong thing to watch.
     */

    /** The TimerFunc: deliberately holds neither the channel nor the TimerChan. */
    static final class State implements TimerFunc {
        /** guarded by this (I1). */
        boolean armed;

        @Override
        public void fire(dev.goloom.internal.timer.Timer t, Object arg, long seq, long now) {
            HChan c = (HChan) arg;
            synchronized (this) {
                if (seq != t.seq()) {
                    return;                       // stopped or reset since taken off: stale
                }
                if (!t.isPending()) {
                    armed = false;                // a one-shot timer delivers once (keeps I1)
                }
                c.chansend(Instant.now(), false); // slot full (a slow ticker receiver): dropped
            }
        }

        @Override
        public boolean canWake(Object arg) {
            return arg instanceof HChan c && c.hasWaiters();
        }
    }

    final Chan<Instant> ch;
    final HChan hchan;
    final State st = new State();
    final dev.goloom.internal.timer.Timer rec;

    TimerChan(long nanos, long period) {
        dev.goloom.internal.timer.Timer.expunge();      // bounds the heap under a loop of after()s
        ch = Chan.make(1);
        hchan = HChan.of(ch);
        hchan.markTimerChan();                    // len/cap report 0, as Go 1.23's
        rec = dev.goloom.internal.timer.Timer.weak(st, hchan, dev.goloom.internal.timer.Timer.PROBE);
        arm(nanos, period);
    }

    /**
     * Arms for now + nanos; a one-shot timer already due delivers at once. Called after
     * {@link #disarm()} (or at construction); st is NOT held across the heap operation.
     */
    final void arm(long nanos, long period) {
        if (period == 0 && nanos <= 0) {
            synchronized (st) {
                hchan.chansend(Instant.now(), false);
            }
            return;
        }
        synchronized (st) {
            st.armed = true;                      // before the timer can fire (keeps I1)
        }
        rec.reset(Timers.when(Timers.nanoTime(), nanos), period);
    }

    /**
     * Ends the current arming: takes the timer off its heap (bumping seq: a firing in flight is
     * now stale, I2), then under st clears armed and drains. True if the value had not been
     * received. st is never held across the heap operation, so a runner (a scheduler M) that
     * fires this timer never waits for a goroutine that is itself waiting (see Ownership).
     */
    final boolean disarm() {
        synchronized (this) {
            return disarmLocked();
        }
    }

    /** reset: disarm then arm as one step under this monitor (see Ownership). */
    final boolean rearm(long nanos, long period) {
        synchronized (this) {
            boolean pending = disarmLocked();
            arm(nanos, period);
            return pending;
        }
    }

    private boolean disarmLocked() {
        rec.stop();                               // keeps I2: seq bumped, in-flight firing stale
        synchronized (st) {
            boolean pending = st.armed;
            st.armed = false;
            Object v = hchan.chanrecv(false);
            return pending || (v != HChan.WOULD_BLOCK && v != HChan.CLOSED);
        }
    }

    public final RecvChan<Instant> c() {
        return ch;
    }

    /** The engine timer (white box). */
    final dev.goloom.internal.timer.Timer rec() {
        return rec;
    }
}
