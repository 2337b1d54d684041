package dev.goloom.internal.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without --add-opens, goloom runs on the JDK's scheduler, says so once, and works. */
class FallbackModeTest {
    @Test
    void runsWithoutTheJvmFlag() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                FallbackProbe.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("goloom: running goroutines on the JDK's default scheduler"), out);
        assertEquals(1, out.split("default scheduler", -1).length - 1, "warned once: " + out);
        assertTrue(out.contains("ok 1000 procs=2 threads=0"), out);
    }
}
