package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.internal.trace.Trace;
import dev.goloom.internal.trace.TraceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dgoloom.trace=FILE}: recording starts with the first runtime and the file is complete at
 * JVM exit; {@code -Dgoloom.debug.addr=:PORT}: the endpoint listens from the first runtime on.
 */
class TracePropertyTest {
    @TempDir
    Path dir;

    /** The child JVM: starts the global runtime, emits two events, exits without stopping the trace. */
    public static void main(String[] args) throws Exception {
        GoRuntime.global();
        if (args.length > 0) {                     // -Dgoloom.debug.addr: the endpoint answers
            var c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + args[0]
                    + "/debug/goloom/sched").toURL().openConnection();
            if (c.getResponseCode() != 200 || !new String(c.getInputStream().readAllBytes()).startsWith("SCHED")) {
                System.exit(4);
            }
        }
        if (!Trace.on) {
            System.exit(3);
        }
        Trace.emit(Trace.GO_START, 0, 4242, 0);
        Trace.emit(Trace.GO_END, 0, 4242, 0);
        System.exit(0);
    }

    @Test
    void propertiesStartTheTraceAndTheEndpoint() throws Exception {
        Path f = dir.resolve("prop.trace");
        String java = ProcessHandle.current().info().command().orElse("java");
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();                  // a free port for -Dgoloom.debug.addr
        }
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dgoloom.trace=" + f, "-Dgoloom.jmx=false", "-Dgoloom.debug.addr=:" + port,
                TracePropertyTest.class.getName(), Integer.toString(port)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        TraceData d = TraceData.read(f);
        assertTrue(d.endTs() >= 0, "the shutdown hook completed the file");
        assertEquals(2, d.events().stream().filter(e -> e.goid() == 4242).count());
        assertTrue(Files.size(f) > 0);
    }
}
