package dev.goloom;

import dev.goloom.internal.sched.Sched;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link GoRuntime#executor()}: an ExecutorService each of whose tasks runs as a new goroutine
 * (goroutine-per-task, as a Go server spawns a goroutine per request). Shutdown follows the
 * ExecutorService contract; shutdownNow interrupts the running tasks' goroutines.
 */
final class GoExecutor extends AbstractExecutorService {
    /* Implementation notes
     * Invariants: running counts tasks started and not yet finished; after shutdown no task starts.
     * Locking: lock guards shutdown, running and the termination condition (never held while a
     * task runs).
     */
    private final Sched sched;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = lock.newCondition();
    private final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean shutdown;
    private int running;

    GoExecutor(Sched sched) {
        this.sched = sched;
    }

    @Override
    public void execute(Runnable command) {
        if (command == null) {
            throw new NullPointerException("goloom: executor task is null");
        }
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("goloom: executor is shut down");
            }
            running++;
        } finally {
            lock.unlock();
        }
        try {
            sched.newproc(null, () -> {
                Thread self = Thread.currentThread();
                threads.add(self);
                try {
                    command.run();
                } finally {
                    threads.remove(self);
                    finished();
                }
            });
        } catch (IllegalStateException e) {
            finished();
            throw new RejectedExecutionException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            finished();
            throw e;
        }
    }

    private void finished() {
        lock.lock();
        try {
            if (--running == 0 && shutdown) {
                terminated.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            if (running == 0) {
                terminated.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (Thread t : threads) {
            t.interrupt();
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && running == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && running == 0)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
