package dev.goloom.internal.chan;

/**
 * One case of a select: Go's {@code scase}. {@code dev.goloom.Select}'s case objects extend it,
 * so a select passes its cases to {@link SelectGo#selectgo} with no copying.
 * Immutable: the same case may be used by many selects, concurrently.
 */
public abstract class Scase {
    /* Implementation notes
     *
     * Overview
     *   Go's compiler lowers each case of a select statement to an scase {c, elem}; here the
     *   public case objects carry the same two fields plus a kind. Immutable (final fields,
     *   safely published by construction), so sharing a case between threads is free.
     * Lineage
     *   golang/go src/runtime/select.go (type scase); cmd/compile/internal/walk/select.go for
     *   the one-case and case-plus-default lowerings, done in dev.goloom.Select.
     */

    /** receive from {@link #c}. */
    public static final int RECV = 0;
    /** send {@link #elem} to {@link #c}. */
    public static final int SEND = 1;
    /** Go's {@code default:}; never polled. */
    public static final int DEFAULT = 2;
    /** a timer case, turned into a RECV case by the select layer before selectgo sees it. */
    public static final int AFTER = 3;

    final int kind;
    /** the channel; null for Go's nil channel (never ready) and for DEFAULT/AFTER. */
    final HChan c;
    /** the value to send (SEND only). */
    final Object elem;

    protected Scase(int kind, HChan c, Object elem) {
        this.kind = kind;
        this.c = c;
        this.elem = elem;
    }

    /** RECV, SEND, DEFAULT or AFTER. */
    public final int kind() {
        return kind;
    }

    /** The value to send (SEND only). */
    public final Object elem() {
        return elem;
    }

    /** The case's channel, or null. */
    public final HChan chan() {
        return c;
    }
}
