package dev.goloom.internal.chan;

import dev.goloom.RecvChan;
import dev.goloom.time.Time;
import java.time.Duration;
import java.time.Instant;

/**
 * The channel behind {@code Select.after(d, then)}: Go's {@code time.After(d)}. The single place
 * where select reaches the time package.
 */
public final class AfterChan {
    /* Implementation notes
     *
     * Overview
     *   Delegates to Time.after: a Go 1.23 timer channel on the scheduler's per-P timer heap,
     *   which the heap holds only weakly, so a select loop whose after() case never fires leaves
     *   nothing behind once the loop has moved on, and which counts as pending work for deadlock
     *   detection only while a goroutine waits on it (HChan.hasWaiters).
     *
     * Rejected alternatives
     *   The first, stand-alone version (a daemon ScheduledThreadPoolExecutor doing a non-blocking
     *   send into a cap-1 channel, with its own pending count chained into deadlock detection)
     *   held every channel until its timer fired; replaced once the time package existed.
     */

    private AfterChan() {
    }

    /**
     * A channel that receives the current time once {@code d} has elapsed (at once when d is
     * zero or negative). Go's {@code time.After}.
     */
    public static RecvChan<Instant> after(Duration d) {
        return Time.after(d);
    }
}
