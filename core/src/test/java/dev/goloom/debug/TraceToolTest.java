package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.trace.Trace;
import dev.goloom.internal.trace.TraceRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./goloom trace view|export}: the HTML timeline (loaded in headless Chromium, one row per
 * P, a screenshot in target/) and the trace-event JSON. The trace is synthetic, written through
 * the recorder, so the test does not depend on the scheduler.
 */
class TraceToolTest {
    static final int PROCS = 4;
    static Path out;
    static Path trace;

    @BeforeAll
    static void writeTrace() throws Exception {
        out = Path.of("target", "trace-tool-test");
        Files.createDirectories(out);
        trace = out.resolve("synthetic.trace");
        TraceRecorder r = TraceRecorder.start(trace, PROCS, List.of());
        try {
            long g = 1;
            for (int p = 0; p < PROCS; p++) {
                Trace.emit(Trace.PROC_START, p, 0, 0);
            }
            for (int round = 0; round < 40; round++) {
                for (int p = 0; p < PROCS; p++) {
                    long id = g++;
                    Trace.emit(Trace.GO_CREATE, p, id, 0, id % 3 == 0 ? "worker-<" + id + ">" : null);
                    Trace.emit(Trace.GO_START, p, id, 0);
                    spin(20_000);
                    Trace.emit(Trace.GO_BLOCK, p, id, WaitReason.values()[(int) (id % 6)].ordinal());
                    Trace.emit(Trace.GO_UNBLOCK, -1, id, 0);
                    Trace.emit(Trace.GO_START, (p + 1) % PROCS, id, 0);
                    spin(10_000);
                    Trace.emit(Trace.GO_END, (p + 1) % PROCS, id, 0);
                }
                Trace.emit(Trace.STEAL, round % PROCS, (round + 1) % PROCS, 2);
            }
            Trace.emit(Trace.HANDOFF, 1, 3, 0);
        } finally {
            r.stop();
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void exportWritesTraceEventJson() throws IOException {
        Path json = out.resolve("synthetic.json");
        TraceTool.export(trace, json);
        String s = Files.readString(json);
        assertTrue(s.startsWith("{\"displayTimeUnit\""), s.substring(0, 40));
        assertTrue(s.contains("\"traceEvents\":["));
        for (int p = 0; p < PROCS; p++) {
            assertTrue(s.contains("\"args\":{\"name\":\"P" + p + "\"}"), "row P" + p);
        }
        assertEquals(320, count(s, "\"ph\":\"X\""), "one complete event per span");
        assertTrue(s.contains("worker-\\u003c3\\u003e"), "names escaped");
        assertTrue(s.contains("\"name\":\"Steal\""));
        assertTrue(s.trim().endsWith("]}"));
    }

    @Test
    void viewIsSelfContained() throws IOException {
        Path html = out.resolve("synthetic.html");
        TraceTool.view(trace, html);
        String s = Files.readString(html);
        assertTrue(s.startsWith("<!DOCTYPE html>"));
        assertTrue(!s.contains("http://") && !s.contains("https://") && !s.contains("src="),
                "no external resources");
        assertTrue(!s.contains("worker-<"), "names cannot inject markup");
    }

    @Test
    void chromiumLoadsThePageWithOneRowPerP() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "skipped: /usr/bin/chromium is absent (apt-get install -y chromium to run this test)");
        Path html = out.resolve("synthetic.html").toAbsolutePath();
        TraceTool.view(trace, html);
        Path profile = Files.createTempDirectory("goloom-chromium-");
        String dom = run(chromium, profile, "--dump-dom", html.toUri().toString());
        assertTrue(dom.contains("data-ready=\"true\""), "the script ran to the end:\n" + head(dom));
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<div class=\"prow\" data-p=\"(\\d+)\">P(\\d+)</div>").matcher(dom);
        while (m.find()) {
            rows.add(m.group(1));
        }
        assertEquals(List.of("0", "1", "2", "3"), rows, "one row per P:\n" + head(dom));

        Path png = out.resolve("synthetic.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Path profile2 = Files.createTempDirectory("goloom-chromium-");
        run(chromium, profile2, "--screenshot=" + png, "--window-size=1200,360", html.toUri().toString());
        assertTrue(Files.size(png) > 1000, "screenshot written: " + png);
        byte[] sig = Files.readAllBytes(png);
        assertEquals((byte) 0x89, sig[0]);
        assertEquals('P', sig[1]);
    }

    private static String run(Path chromium, Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("goloom-chromium-", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        String s = new String(stdout, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(log));
        }
        Files.deleteIfExists(log);
        return s;
    }

    private static String head(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
