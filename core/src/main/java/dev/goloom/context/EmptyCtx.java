package dev.goloom.context;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import java.time.Instant;
import java.util.Optional;

/** Go's {@code backgroundCtx} and {@code todoCtx}: never cancelled, no values, no deadline. */
final class EmptyCtx implements Context {
    /** done() of every never-cancelled context: a channel nobody sends on or closes. */
    static final Chan<Void> NEVER = Chan.make();

    static final EmptyCtx BACKGROUND = new EmptyCtx("context.Background");
    static final EmptyCtx TODO = new EmptyCtx("context.TODO");

    private final String name;

    private EmptyCtx(String name) {
        this.name = name;
    }

    @Override
    public RecvChan<Void> done() {
        return NEVER;
    }

    @Override
    public RuntimeException err() {
        return null;
    }

    @Override
    public RuntimeException cause() {
        return null;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public <T> T value(Key<T> key) {
        return null;
    }

    @Override
    public void check() {
    }

    @Override
    public String toString() {
        return name;
    }
}
