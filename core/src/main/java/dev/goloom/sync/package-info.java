/**
 * Go's {@code sync} package: {@link dev.goloom.sync.Mutex}, {@link dev.goloom.sync.RWMutex},
 * {@link dev.goloom.sync.WaitGroup}, {@link dev.goloom.sync.Once}, {@link dev.goloom.sync.Cond},
 * {@link dev.goloom.sync.Pool} and {@link dev.goloom.sync.SyncMap}.
 *
 * <p>Every type works from goroutines and from plain threads alike. A goroutine blocked in one of
 * them is parked (its carrier thread is freed) and shows in {@code GoRuntime.dump()} with Go's
 * wait reason ({@code [sync.Mutex.Lock]}, {@code [sync.RWMutex.RLock]},
 * {@code [sync.RWMutex.Lock]}, {@code [sync.WaitGroup.Wait]}, {@code [sync.Cond.Wait]}), and
 * goloom's deadlock detection counts it as asleep. Misuse fails with
 * {@link java.lang.IllegalStateException} and Go's message. Go has no interrupts; each class says
 * how its blocking calls answer {@link java.lang.Thread#interrupt()} (with
 * {@link dev.goloom.GoInterruptedException}, the flag kept set). Atomics are the JDK's
 * {@code java.util.concurrent.atomic}.
 */
package dev.goloom.sync;
