package dev.goloom.context;

import dev.goloom.Chan;
import dev.goloom.RecvChan;
import java.time.Instant;
import java.util.Optional;

/** Go's {@code backgroundCtx} and {@code todoCtx}: never cancelled, no values, no deadline. */
final class EmptyCtx implements Context {
    /* Implementation notes
     *
     * Overview
     *   Two singletons. done() is one shared channel that is never closed and never sent on, so a
     *   receive blocks forever and a select case on it is never ready (Go returns a nil channel).
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (emptyCtx, backgroundCtx, todoCtx).
     *
     * Invariants
     *   I1 NEVER is never closed and never holds a value (no code path sends on it).
     */

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
