package dev.goloom.internal.sched;

/**
 * Why a goroutine is parked: Go's {@code waitReason}, with Go's own words, which is what
 * {@code dump()} prints in the header line ({@code goroutine 7 [chan receive]:}).
 *
 * <p>{@link #goloom} says whether the wait is on a goloom primitive, which only another goroutine
 * can end. Deadlock detection (Go's {@code checkdead}) counts only those: a goroutine in socket
 * I/O or a JDK lock may be woken by the world outside, so while one exists there is no deadlock.
 * Sleep and timer-backed waits are goloom waits, but a pending timer is itself pending work.
 */
public enum WaitReason {
    CHAN_SEND("chan send", true),
    CHAN_RECEIVE("chan receive", true),
    CHAN_SEND_NIL("chan send (nil chan)", true),
    CHAN_RECEIVE_NIL("chan receive (nil chan)", true),
    SELECT("select", true),
    SELECT_NO_CASES("select (no cases)", true),
    MUTEX_LOCK("sync.Mutex.Lock", true),
    RWMUTEX_RLOCK("sync.RWMutex.RLock", true),
    RWMUTEX_LOCK("sync.RWMutex.Lock", true),
    WAIT_GROUP_WAIT("sync.WaitGroup.Wait", true),
    COND_WAIT("sync.Cond.Wait", true),
    SEMACQUIRE("semacquire", true),
    SLEEP("sleep", true),
    /** parked in the JDK's socket I/O (the poller wakes it). */
    IO_WAIT("IO wait", false),
    /** running but stuck in a call that pins the carrier (its P was handed off). */
    SYSCALL("syscall", false),
    /** parked somewhere goloom does not know (a j.u.c lock, Object.wait, Thread.sleep, ...). */
    EXTERNAL("waiting", false);

    private final String text;
    /** true: only a goroutine (or a goloom timer) can end this wait. */
    public final boolean goloom;

    WaitReason(String text, boolean goloom) {
        this.text = text;
        this.goloom = goloom;
    }

    /** Go's words, as printed in a dump header. */
    @Override
    public String toString() {
        return text;
    }
}
