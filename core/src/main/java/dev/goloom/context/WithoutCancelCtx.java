package dev.goloom.context;

import dev.goloom.RecvChan;
import java.time.Instant;
import java.util.Optional;

/** Go's {@code withoutCancelCtx}: the parent's values, never its cancellation or deadline. */
final class WithoutCancelCtx implements Context {
    /* Implementation notes
     *
     * Overview
     *   Immutable; values come from the parent, everything else is background's. propagateCancel
     *   stops its walk here, so children of this context never register above it.
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (withoutCancelCtx).
     */

    final Context parent;

    WithoutCancelCtx(Context parent) {
        this.parent = parent;
    }

    @Override
    public RecvChan<Void> done() {
        return EmptyCtx.NEVER;
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
        return ValueCtx.lookup(parent, key);
    }

    @Override
    public void check() {
    }

    @Override
    public String toString() {
        return parent + ".WithoutCancel";
    }
}
