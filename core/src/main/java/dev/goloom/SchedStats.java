package dev.goloom;

/**
 * A snapshot of the scheduler's counters: the figures of Go's {@code GODEBUG=schedtrace} line
 * plus goloom's totals.
 *
 * @param maxProcs          GOMAXPROCS, the number of Ps
 * @param idleProcs         Ps with no M
 * @param threads           carrier threads (Ms) alive
 * @param spinningThreads   Ms looking for work
 * @param idleThreads       Ms parked with nothing to do
 * @param globalRunQueue    goroutines in the global run queue
 * @param localRunQueues    goroutines in each P's local run queue (runnext included)
 * @param goroutinesCreated goroutines created since the runtime started
 * @param steals            successful steals from another P's queue
 * @param handoffs          Ps taken from an M stuck in one goroutine and handed to another M
 */
public record SchedStats(int maxProcs, int idleProcs, int threads, int spinningThreads,
                         int idleThreads, int globalRunQueue, int[] localRunQueues,
                         long goroutinesCreated, long steals, long handoffs) {
}
