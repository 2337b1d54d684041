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

/** {@code -Dgoloom.trace=FILE}: recording starts with the first runtime and the file is complete at JVM exit. */
class TracePropertyTest {
    @TempDir
    Path dir;

    /** The child JVM: starts the global runtime, emits two events, exits without stopping the trace. */
    public static void main(String[] args) {
        GoRuntime.global();
        if (!Trace.on) {
            System.exit(3);
        }
        Trace.emit(Trace.GO_START, 0, 4242, 0);
        Trace.emit(Trace.GO_END, 0, 4242, 0);
        System.exit(0);
    }

    @Test
    void propertyRecordsFromRuntimeStartToJvmExit() throws Exception {
        Path f = dir.resolve("prop.trace");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dgoloom.trace=" + f, "-Dgoloom.jmx=false", TracePropertyTest.class.getName()))
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
