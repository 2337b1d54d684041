package dev.goloom;

/**
 * Ends Go test programs whose goroutines run for ever. Go's test/chan programs (powser, sieve)
 * leave generators blocked when main returns and rely on the process exiting; a goloom test
 * must end every goroutine it starts. Every blocking operation of such a program goes through
 * this object, which adds a receive from its {@code done} channel to the operation (Go's
 * idiomatic quit channel); {@link #stop()} closes it, and each goroutine started with
 * {@link #go(Task)} then ends at its next channel operation.
 */
final class Halt {
    /** Thrown out of an operation once the program is stopped; {@link #go} swallows it. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private static final Stopped STOPPED = new Stopped();

    private final GoRuntime rt;
    private final Chan<Void> done = Chan.make();

    Halt(GoRuntime rt) {
        this.rt = rt;
    }

    /** Starts a goroutine of the program; it ends quietly when the program is stopped. */
    void go(Task body) {
        rt.go(() -> {
            try {
                body.run();
            } catch (Stopped expected) {
                // the program was stopped
            }
        });
    }

    /** Closes {@code done}: every goroutine of the program ends at its next operation. */
    void stop() {
        done.close();
    }

    private void check() {
        if (done.tryRecv() != null) {
            throw STOPPED;
        }
    }

    /** {@code <-c}; {@code c} may be null (Go's nil channel). */
    <T> T recv(RecvChan<T> c) {
        check();
        Object[] box = new Object[1];
        if (Select.select(Select.recv(c, v -> box[0] = v), Select.recv(done, v -> { })) == 1) {
            throw STOPPED;
        }
        @SuppressWarnings("unchecked")
        T v = (T) box[0];
        return v;
    }

    /** {@code c <- v}. */
    <T> void send(SendChan<T> c, T v) {
        check();
        if (Select.select(Select.send(c, v, null), Select.recv(done, x -> { })) == 1) {
            throw STOPPED;
        }
    }

    /** A blocking select over {@code cases} (no default): returns the index of the case run. */
    int select(Select.Case... cases) {
        check();
        Select.Case[] all = java.util.Arrays.copyOf(cases, cases.length + 1);
        all[cases.length] = Select.recv(done, x -> { });
        int i = Select.select(all);
        if (i == cases.length) {
            throw STOPPED;
        }
        return i;
    }
}
