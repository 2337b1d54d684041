package dev.goloom.context;

import dev.goloom.RecvChan;
import java.time.Instant;
import java.util.Optional;

/** Go's {@code valueCtx}: one key-value pair over a parent. */
final class ValueCtx implements Context {
    /* Implementation notes
     *
     * Overview
     *   Immutable. value() walks up the chain iteratively through the wrappers of this package
     *   (Go's value() loop), so a deep chain cannot overflow the stack; everything else
     *   delegates to the parent. Keys compare with equals (Key is a record: two keys with the
     *   same name are the same key; use distinct names, or your own package-qualified names).
     *
     * Lineage
     *   golang/go src/context/context.go @go1.23 (valueCtx, value).
     */

    final Context parent;
    final Key<?> key;
    final Object val;

    ValueCtx(Context parent, Key<?> key, Object val) {
        this.parent = parent;
        this.key = key;
        this.val = val;
    }

    @Override
    public RecvChan<Void> done() {
        return parent.done();
    }

    @Override
    public RuntimeException err() {
        return parent.err();
    }

    @Override
    public RuntimeException cause() {
        return parent.cause();
    }

    @Override
    public Optional<Instant> deadline() {
        return parent.deadline();
    }

    @Override
    public <T> T value(Key<T> k) {
        return lookup(this, k);
    }

    @SuppressWarnings("unchecked")
    static <T> T lookup(Context c, Key<T> k) {
        while (true) {
            switch (c) {
                case ValueCtx v -> {
                    if (v.key.equals(k)) {
                        return (T) v.val;
                    }
                    c = v.parent;
                }
                case CancelCtx cc -> c = cc.parent;
                case WithoutCancelCtx w -> c = w.parent;
                case EmptyCtx e -> {
                    return null;
                }
                default -> {
                    return c.value(k);
                }
            }
        }
    }

    @Override
    public void check() {
        parent.check();
    }

    @Override
    public String toString() {
        return parent + ".WithValue(" + key.name() + ", " + val + ")";
    }
}
