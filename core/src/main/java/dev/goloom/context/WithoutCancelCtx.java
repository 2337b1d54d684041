package dev.goloom.context;

import dev.goloom.RecvChan;
import java.time.Instant;
import java.util.Optional;

/** Go's {@code withoutCancelCtx}: the parent's values, never its cancellation or deadline. */
final class WithoutCancelCtx implements Context {
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
