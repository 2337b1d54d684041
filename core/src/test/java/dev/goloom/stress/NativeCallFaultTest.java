package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.Chan;
import dev.goloom.GoRuntime;
import dev.goloom.testing.GoTestSupport;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8 "Faults": a goroutine stuck in native code. An FFM downcall pins its virtual thread
 * to the carrier (the JDK cannot unmount it), so the M and, at GOMAXPROCS 1, the only P are stuck
 * for the whole call. The documented outcome (Sysmon's notes, Go's {@code retake}/{@code handoffp}):
 * sysmon sees the P's thread sleeping in the kernel and hands the P to another M after about
 * 100 µs, so the other goroutines keep running during the call.
 *
 * <p>No sleep synchronizes anything here: the native goroutine tells main it is about to call
 * (a buffered send, which does not block), calls libc {@code poll(NULL, 0, ms)}, then sets a flag.
 * At GOMAXPROCS 1 main can only run again on a P taken from the stuck M; it then plays
 * {@code ROUNDS} rounds of channel ping-pong with a third goroutine and asserts the flag was
 * still clear when the last round ended: everything happened during the native call.
 */
class NativeCallFaultTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    private static final int NATIVE_MILLIS = 1_000;
    private static final int ROUNDS = 200;

    /** libc {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)} with no fds: sleeps timeout ms in the kernel. */
    private static MethodHandle poll() {
        Linker linker = Linker.nativeLinker();
        MemorySegment addr = linker.defaultLookup().find("poll").orElseThrow();
        return linker.downcallHandle(addr, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }

    @Test
    void otherGoroutinesRunWhileOneIsInNativeCode() throws Throwable {
        MethodHandle poll = poll();
        assertEquals(0, (int) poll.invokeExact(MemorySegment.NULL, 0L, 0), "poll(NULL, 0, 0) works here");
        GoRuntime rt = t.runtime(1);
        AtomicBoolean nativeReturned = new AtomicBoolean();
        AtomicBoolean doneDuringCall = new AtomicBoolean();
        AtomicInteger rounds = new AtomicInteger();
        long handoffsBefore = rt.schedStats().handoffs();
        rt.main(() -> {
            Chan<Void> calling = Chan.make(1);
            Chan<Void> returned = Chan.make(1);
            rt.go(() -> {
                calling.send(null);          // buffered: readies main, does not block
                int r;
                try {
                    r = (int) poll.invokeExact(MemorySegment.NULL, 0L, NATIVE_MILLIS);
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
                nativeReturned.set(true);
                assertEquals(0, r);
                returned.send(null);
            });
            calling.recv();                  // runs only once a P is free: handed off, or the call is over
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            rt.go(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    pong.send(ping.recv() + 1);
                }
            });
            for (int i = 0; i < ROUNDS; i++) {
                ping.send(i);
                assertEquals(i + 1, pong.recv());
                rounds.incrementAndGet();
            }
            doneDuringCall.set(!nativeReturned.get());
            returned.recv();
        });
        assertEquals(ROUNDS, rounds.get());
        assertTrue(doneDuringCall.get(), "the ping-pong finished only after the " + NATIVE_MILLIS
                + " ms native call returned: the P was not handed off (handoffs "
                + handoffsBefore + " -> " + rt.schedStats().handoffs() + ")");
        assertTrue(rt.schedStats().handoffs() > handoffsBefore, "sysmon handed the P off");
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
