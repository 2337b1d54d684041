package dev.goloom.x;

/**
 * How the x package turns a task's failure into what its caller sees: the same rule as
 * {@code GoRuntime.main} (unchecked exceptions and errors as they are; a checked exception
 * wrapped in a {@link RuntimeException} whose cause it is).
 */
final class Failures {
    /* Implementation notes
     *
     * Overview
     *   One rule, one place: ErrGroup.await and SingleFlight.run rethrow through here.
     * Lineage
     *   Go returns an error value; Java's checked exceptions cannot cross Task/Callable lambdas
     *   without being declared, so API.md says "unchecked, cause kept" (as Go.main does).
     * Invariants
     *   I1 the result's cause chain contains t (t itself when t is unchecked).
     * Ownership & locking / Memory ordering
     *   Stateless.
     * Rejected alternatives
     *   Wrapping unchecked exceptions too: it would hide the exception's own type from catch
     *   clauses; callers that want await's stack can read the suppressed trace of a debugger.
     */

    private Failures() {
    }

    /**
     * {@code t} as a RuntimeException (a context's cancel cause, a stored failure): itself if it
     * is one, else a RuntimeException whose cause is {@code t}.
     */
    static RuntimeException wrap(Throwable t) {
        return t instanceof RuntimeException r ? r : new RuntimeException(t.toString(), t);
    }

    /**
     * Throws {@code t} to the caller unchecked: errors and unchecked exceptions as they are, a
     * checked exception wrapped ({@link #wrap}). Declared to return so callers can write
     * {@code throw Failures.rethrow(t)}.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        throw wrap(t);
    }
}
