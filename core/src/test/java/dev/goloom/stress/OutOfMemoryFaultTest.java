package dev.goloom.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.testing.GoTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8 "Faults": {@link OutOfMemoryError} while spawning millions of goroutines. A child JVM
 * (the same java, the test class path, goloom's JVM flags, a 96 MB heap) runs {@link OomChild}:
 * it spawns goroutines parked on a channel until {@code go()} throws OutOfMemoryError, catches it,
 * closes the channel, waits for every goroutine to end, then checks the runtime still works
 * (10,000 rounds of ping-pong, 1,000 goroutines through a WaitGroup, the goroutine count back to
 * its baseline) and prints a marker. Documented outcome: the OutOfMemoryError reaches the caller
 * of {@code go()}; the goroutines already started are intact and end when released; the runtime
 * stays usable and loses no goroutine. A goroutine that runs out of memory itself (parking needs
 * a little heap for its stack) panics like any goroutine whose body throws: printed, the others
 * unaffected. The child frees a 16 MB reserve when it catches the error, as an application that
 * survives an OutOfMemoryError must; {@code OomChild N no-headroom} runs without it (see
 * docs/TESTING.md for what that showed).
 *
 * <p>Failures this test found, both fixed: a goroutine that ran out of memory while it held a
 * channel's lock (HChan allocated its sudog under the lock) left the lock held for ever, and the
 * child hung in {@code Chan.close} (session 2: HChan.acquireSudog unlocks before the error
 * propagates); an OutOfMemoryError while the goroutine registry grew a stripe left that stripe's
 * top past its arrays, and {@code GoRuntime.close} threw ArrayIndexOutOfBoundsException
 * (session 3: AllGs.add allocates before it changes anything). Session 7 (CI failed on it): a
 * runtime's first goroutine exit linked two VarHandle call sites and, out of memory there, was
 * never counted; the background warm-up left its goroutines parked for ever; a close with 60,000
 * waiters stood still in a full heap growing its list of them; a failed M start lost its P; and
 * a JDK lock class that failed to initialize on the goloom-jmx thread broke every contended lock
 * (docs/TESTING.md, "Five ways..."). A hang still fails after {@value #CHILD_SECONDS} s with the
 * child's thread dump.
 */
class OutOfMemoryFaultTest {
    @RegisterExtension
    final GoTestSupport t = new GoTestSupport();

    @Test
    void runtimeStaysUsableAfterOutOfMemoryWhileSpawning() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java,
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.pollerMode=1",
                "-Xmx96m", "-XX:+UseParallelGC", "-Xss1m",   // Parallel: the GC overhead limit ends the thrashing early
                "-cp", System.getProperty("java.class.path"),
                OomChild.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = Thread.ofPlatform().start(() -> copy(p.getInputStream(), out));
        boolean ended = false;
        String dump = "";
        try {
            ended = p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);   // well inside the JUnit timeout
            if (!ended) {
                dump = threadDump(java, p.pid());
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();    // never leave the child behind (also when interrupted)
            }
            pump.join();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(text.lines().limit(40).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(ended, "the child JVM hung for " + CHILD_SECONDS + " s; its output:\n" + text
                + "\nits threads:\n" + dump);
        assertTrue(text.contains("GOLOOM-OOM-OK"), text);
        assertEquals(0, p.exitValue(), text);
    }

    private static final int CHILD_SECONDS = 60;

    /** The child's thread dump ({@code jcmd PID Thread.print} from the same JDK), for a hang. */
    private static String threadDump(String java, long pid) {
        try {
            String jcmd = java.replaceFirst("java$", "jcmd");
            Process j = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            copy(j.getInputStream(), o);
            j.waitFor(20, TimeUnit.SECONDS);
            return o.toString(StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
