package dev.goloom.internal.chan;

/** White-box access to the channel engine for tests in other packages. */
public final class WhiteBox {
    private WhiteBox() {
    }

    /** Runs the engine's invariant checks on a goloom channel. */
    public static void checkInvariants(Object chan) {
        HChan.of(chan).checkInvariants();
    }

    /** Number of sudogs on recvq and sendq (stale select sudogs included). */
    public static int[] queueSizes(Object chan) {
        return HChan.of(chan).queueSizes();
    }

    /** recvq + sendq sizes. */
    public static int waiters(Object chan) {
        int[] s = queueSizes(chan);
        return s[0] + s[1];
    }

    public static boolean hasWaiters(Object chan) {
        return HChan.of(chan).hasWaiters();
    }
}
