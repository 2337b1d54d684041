/**
 * The patterns of golang.org/x and the common pipelines, on goroutines and channels.
 *
 * <ul>
 *   <li>{@link dev.goloom.x.ErrGroup}: {@code x/sync/errgroup} — run subtasks, wait for all,
 *       get the first failure; the group's context is cancelled on it.
 *   <li>{@link dev.goloom.x.Semaphore}: {@code x/sync/semaphore} — a weighted, FIFO semaphore
 *       whose acquire gives up when its context ends.
 *   <li>{@link dev.goloom.x.SingleFlight}: {@code x/sync/singleflight} — concurrent calls for
 *       one key share one execution.
 *   <li>{@link dev.goloom.x.RateLimiter}: {@code x/time/rate} — a token bucket with
 *       {@code allow}, {@code await(ctx)} and {@code reserve}.
 *   <li>{@link dev.goloom.x.Pipelines}: the stages of go.dev/blog/pipelines (generate, map,
 *       filter, merge, fanOut), each closing its output when its input closes or its context
 *       ends.
 * </ul>
 *
 * Goroutines these classes start run in the caller's runtime when the caller is a goroutine,
 * else in the global runtime. Failures reach callers unchecked, with the original exception as
 * the cause when it was checked.
 */
package dev.goloom.x;
