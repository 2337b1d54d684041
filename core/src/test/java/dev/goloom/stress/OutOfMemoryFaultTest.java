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
 * unaffected. The child frees an 8 MB reserve when it catches the error, as an application that
 * survives an OutOfMemoryError must; {@code OomChild N no-headroom} runs without it (see
 * docs/TESTING.md for what that showed).
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
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        pump.join();
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(text.lines().limit(40).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(ended, "the child JVM hung:\n" + text);
        assertTrue(text.contains("GOLOOM-OOM-OK"), text);
        assertEquals(0, p.exitValue(), text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
