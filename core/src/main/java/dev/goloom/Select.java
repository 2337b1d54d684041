package dev.goloom;

import dev.goloom.internal.chan.AfterChan;
import dev.goloom.internal.chan.HChan;
import dev.goloom.internal.chan.Scase;
import dev.goloom.internal.chan.SelectGo;
import dev.goloom.internal.sched.WaitReason;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Go's {@code select} statement: waits on several channel operations and runs exactly one.
 *
 * <pre>
 * Go                                    goloom
 * select {                              Select.select(
 * case v := &lt;-in:     use(v)              Select.recv(in, v -&gt; use(v)),
 * case v, ok := &lt;-in2: use(v, ok)         Select.recvOk(in2, (v, ok) -&gt; use(v, ok)),
 * case out &lt;- x:      sent()              Select.send(out, x, () -&gt; sent()),
 * case &lt;-time.After(d): timeout()         Select.after(d, () -&gt; timeout()),
 * default:            idle()              Select.otherwise(() -&gt; idle()));
 * }
 * </pre>
 *
 * <p>The semantics are Go's: if one or more cases can proceed, one of them is chosen uniformly
 * at random, its operation is performed, and then its body runs; otherwise the
 * {@link #otherwise} body runs if there is one; otherwise the select blocks until some case can
 * proceed. {@link #select} returns the index of the case that ran. A {@code null} channel is
 * Go's nil channel: its case is never ready. A closed channel is always ready to receive
 * (value {@code null}, ok {@code false}); a send case whose channel is closed throws
 * {@link ChanClosedException} if it is chosen. The same channel may appear in several cases.
 * {@code select()} with no cases at all blocks forever, as Go's {@code select {}}.
 *
 * <p>Cases are immutable and may be built once and reused, even by several threads; an
 * {@link #after} case starts its timer each time a select using it begins, as Go evaluates
 * {@code time.After(d)} on entering the statement.
 *
 * <h2>Blocking and interruption</h2>
 * A blocked select parks once, on all of its channels at once, and records the wait reason
 * {@code select} ({@code select (no cases)} for an empty select; a select with a single case
 * waits as that channel operation would: {@code chan send}/{@code chan receive}). When one case
 * wakes it, it removes itself from every other channel before returning, so a select loop
 * leaves no waiters behind. If the thread is interrupted while blocked, the select throws
 * {@link GoInterruptedException} with the interrupt flag kept set and no case has run; if a
 * case completed at the same moment, that case runs instead and the flag stays set. Bodies run
 * after the select has completed, on the calling thread; an exception from a body propagates.
 *
 * <h2>Memory consistency effects</h2>
 * Those of the channel operation that ran (see {@link SendChan} and {@link RecvChan}).
 *
 * {@snippet :
 * Chan<String> jobs = Chan.make(8);
 * Chan<Void> quit = Chan.make();
 * for (;;) {
 *     int i = Select.select(
 *             Select.recv(jobs, job -> System.out.println("job " + job)),
 *             Select.recv(quit, x -> { }),
 *             Select.after(Duration.ofSeconds(1), () -> System.out.println("idle")));
 *     if (i == 1) {
 *         break;
 *     }
 * }
 * }
 */
public final class Select {
    private Select() {
    }

    /** A case of a select; build one with {@link #recv}, {@link #recvOk}, {@link #send},
     *  {@link #after} or {@link #otherwise}. */
    public interface Case {
    }

    // ------------------------------------------------------------------------------ cases

    /**
     * A receive case: Go's {@code case v := <-ch}. When chosen, {@code then} gets the value
     * ({@code null} if the channel is closed and drained). A {@code null} channel is never
     * ready; a {@code null} body does nothing.
     *
     * @param <T> the element type
     * @param ch the channel, or null (never ready)
     * @param then the body, given the value received
     * @return the case
     * @throws IllegalArgumentException if {@code ch} is not a goloom channel
     */
    public static <T> Case recv(RecvChan<T> ch, Consumer<? super T> then) {
        return new RecvCase(engine(ch), then, null);
    }

    /**
     * A receive case that also reports whether a value was received: Go's
     * {@code case v, ok := <-ch}. {@code ok} is false when the channel is closed and drained.
     *
     * @param <T> the element type
     * @param ch the channel, or null (never ready)
     * @param then the body, given the value and ok
     * @return the case
     * @throws IllegalArgumentException if {@code ch} is not a goloom channel
     */
    public static <T> Case recvOk(RecvChan<T> ch, BiConsumer<? super T, Boolean> then) {
        return new RecvCase(engine(ch), null, then);
    }

    /**
     * A send case: Go's {@code case ch <- value}. When chosen, the value has been sent and
     * {@code then} runs. A {@code null} channel is never ready. If this case is chosen while the
     * channel is closed, the select throws {@link ChanClosedException}.
     *
     * @param <T> the element type
     * @param ch the channel, or null (never ready)
     * @param value the value to send (evaluated once, when the case is made)
     * @param then the body, run after the value was sent
     * @return the case
     * @throws IllegalArgumentException if {@code ch} is not a goloom channel
     */
    public static <T> Case send(SendChan<T> ch, T value, Runnable then) {
        return new SendCase(engine(ch), value, then);
    }

    /**
     * A timer case: Go's {@code case <-time.After(d)}. Ready once {@code d} has elapsed since
     * the select began (at once if {@code d} is zero or negative).
     *
     * @param d how long after the start of the select the case becomes ready
     * @param then the body
     * @return the case
     */
    public static Case after(Duration d, Runnable then) {
        return new AfterCase(Objects.requireNonNull(d, "select: after(null)"), then);
    }

    /**
     * Go's {@code default:}: runs when no other case is ready; at most one per select.
     *
     * @param then the body
     * @return the case
     */
    public static Case otherwise(Runnable then) {
        return new DefaultCase(then);
    }

    // ------------------------------------------------------------------------------ select

    /**
     * Runs one ready case (chosen uniformly at random among the ready ones) and returns its
     * index in {@code cases}; blocks while none is ready and there is no {@link #otherwise}
     * case. With no cases at all, blocks forever.
     *
     * @param cases the cases, in any order; their index is what select returns
     * @return the index in {@code cases} of the case that ran
     * @throws ChanClosedException if a chosen send case's channel is closed
     * @throws GoInterruptedException if interrupted while blocked; no case ran
     * @throws IllegalArgumentException for two {@code otherwise} cases
     * @throws NullPointerException for a {@code null} case
     */
    public static int select(Case... cases) {
        int n = cases.length;
        if (n == 0) {
            SelectGo.blockForever(WaitReason.SELECT_NO_CASES);
        }
        Scase[] sc = scases(cases);
        int dflt = -1;
        boolean timers = false;
        for (int i = 0; i < n; i++) {
            int k = sc[i].kind();
            if (k == Scase.DEFAULT) {
                if (dflt >= 0) {
                    throw new IllegalArgumentException("select: multiple defaults in select");
                }
                dflt = i;
            } else if (k == Scase.AFTER) {
                timers = true;
            }
        }
        if (timers) {
            sc = startTimers(sc);
        }
        if (n == 1) {
            return dflt == 0 ? runDefault(sc, 0) : single(sc[0], true) ? 0 : -1;
        }
        if (n == 2 && dflt >= 0) {                 // Go's selectnbsend / selectnbrecv
            int i = 1 - dflt;
            return single(sc[i], false) ? i : runDefault(sc, dflt);
        }
        SelectGo.Result out = new SelectGo.Result();
        int i = SelectGo.selectgo(sc, dflt < 0, out);
        if (i < 0) {
            return runDefault(sc, dflt);
        }
        ((BodyCase) sc[i]).run(out.value, out.ok);
        return i;
    }

    /**
     * As {@link #select(Case...)}, with the cases in a list.
     *
     * @param cases the cases
     * @return the index in {@code cases} of the case that ran
     */
    public static int select(List<Case> cases) {
        return select(cases.toArray(new Case[0]));
    }

    // ------------------------------------------------------------------------------ internals

    private static Scase[] scases(Case[] cases) {
        Scase[] sc = new Scase[cases.length];
        for (int i = 0; i < cases.length; i++) {
            Case c = cases[i];
            if (c == null) {
                throw new NullPointerException("select: case " + i + " is null");
            }
            if (!(c instanceof BodyCase b)) {
                throw new IllegalArgumentException("select: case " + i + " (" + c.getClass().getName()
                        + ") was not made by Select.recv/recvOk/send/after/otherwise");
            }
            sc[i] = b;
        }
        return sc;
    }

    /** Replaces each after case by a receive case on a fresh timer channel. */
    private static Scase[] startTimers(Scase[] sc) {
        Scase[] copy = sc.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] instanceof AfterCase a) {
                copy[i] = new RecvCase(HChan.of(AfterChan.after(a.d)), a.then);
            }
        }
        return copy;
    }

    private static int runDefault(Scase[] sc, int i) {
        ((BodyCase) sc[i]).run(null, false);
        return i;
    }

    /**
     * A select with a single channel case, compiled as Go compiles it: a plain (block) or
     * non-blocking operation. A nil channel blocks forever or is never ready.
     */
    private static boolean single(Scase s, boolean block) {
        HChan c = s.chan();
        BodyCase body = (BodyCase) s;
        if (s.kind() == Scase.SEND) {
            if (c == null) {
                if (block) {
                    SelectGo.blockForever(WaitReason.CHAN_SEND_NIL);
                }
                return false;
            }
            if (!c.chansend(((SendCase) s).value(), block)) {
                return false;
            }
            body.run(null, true);
            return true;
        }
        if (c == null) {
            if (block) {
                SelectGo.blockForever(WaitReason.CHAN_RECEIVE_NIL);
            }
            return false;
        }
        Object v = c.chanrecv(block);
        if (v == HChan.WOULD_BLOCK) {
            return false;
        }
        if (v == HChan.CLOSED) {
            body.run(null, false);
        } else {
            body.run(v, true);
        }
        return true;
    }

    private static HChan engine(Object ch) {
        if (ch == null) {
            return null;                           // Go's nil channel
        }
        HChan c = HChan.of(ch);
        if (c == null) {
            throw new IllegalArgumentException("select: " + ch.getClass().getName()
                    + " is not a goloom channel (make channels with Chan.make)");
        }
        return c;
    }

    /** A case with a body to run once chosen. */
    private abstract static sealed class BodyCase extends Scase implements Case
            permits RecvCase, SendCase, AfterCase, DefaultCase {
        BodyCase(int kind, HChan c, Object elem) {
            super(kind, c, elem);
        }

        abstract void run(Object value, boolean ok);
    }

    private static final class RecvCase extends BodyCase {
        private final Consumer<Object> then;
        private final BiConsumer<Object, Boolean> thenOk;
        private final Runnable thenTimer;

        @SuppressWarnings("unchecked")
        RecvCase(HChan c, Consumer<?> then, BiConsumer<?, Boolean> thenOk) {
            super(RECV, c, null);
            this.then = (Consumer<Object>) then;
            this.thenOk = (BiConsumer<Object, Boolean>) thenOk;
            this.thenTimer = null;
        }

        /** the receive of an after case: the value (the time) is dropped. */
        RecvCase(HChan c, Runnable thenTimer) {
            super(RECV, c, null);
            this.then = null;
            this.thenOk = null;
            this.thenTimer = thenTimer;
        }

        @Override
        void run(Object value, boolean ok) {
            if (then != null) {
                then.accept(value);
            } else if (thenOk != null) {
                thenOk.accept(value, ok);
            } else if (thenTimer != null) {
                thenTimer.run();
            }
        }
    }

    private static final class SendCase extends BodyCase {
        private final Runnable then;

        SendCase(HChan c, Object value, Runnable then) {
            super(SEND, c, value);
            this.then = then;
        }

        Object value() {
            return elem();
        }

        @Override
        void run(Object value, boolean ok) {
            if (then != null) {
                then.run();
            }
        }
    }

    private static final class AfterCase extends BodyCase {
        final Duration d;
        final Runnable then;

        AfterCase(Duration d, Runnable then) {
            super(AFTER, null, null);
            this.d = d;
            this.then = then;
        }

        @Override
        void run(Object value, boolean ok) {
            if (then != null) {
                then.run();
            }
        }
    }

    private static final class DefaultCase extends BodyCase {
        private final Runnable then;

        DefaultCase(Runnable then) {
            super(DEFAULT, null, null);
            this.then = then;
        }

        @Override
        void run(Object value, boolean ok) {
            if (then != null) {
                then.run();
            }
        }
    }
}
