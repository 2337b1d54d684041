package dev.goloom.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs every example in-process, capturing its output, and checks what it printed. */
class ExamplesTest {
    static {
        HttpServerBench.allowKeepAlive(20_000);    // before any HttpServer of this JVM starts
    }

    /** An example's body: run(out, args). */
    interface Body {
        void run(PrintStream out) throws Exception;
    }

    static List<String> output(Body body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    static Matcher match(String regex, String line) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertTrue(m.matches(), "'" + line + "' does not match " + regex);
        return m;
    }

    @Test
    void registryListsEveryExample() {
        assertEquals(List.of("hello", "waitgroup", "pingpong", "fanin", "fanout", "pipeline", "cancel",
                "workerpool", "ratelimit", "httptimeout", "cache", "once", "pool", "sieve", "httpserver", "traceoverhead", "floors"),
                new ArrayList<>(Examples.registry().keySet()));
        for (Examples.Entry e : Examples.registry().values()) {
            try {
                e.mainClass().getMethod("main", String[].class);
            } catch (NoSuchMethodException ex) {
                throw new AssertionError(e.name() + " has no main", ex);
            }
        }
    }

    @Test
    void hello() throws Exception {
        assertEquals(List.of("hello from a goroutine"), output(out -> Hello.run(out)));
    }

    @Test
    void waitgroup() throws Exception {
        List<String> lines = output(out -> WaitGroupWorkers.run(out));
        assertEquals(11, lines.size(), lines.toString());
        for (int i = 1; i <= 5; i++) {
            int started = lines.indexOf("worker " + i + " starting");
            int done = lines.indexOf("worker " + i + " done");
            assertTrue(started >= 0 && done > started, lines.toString());
        }
        assertEquals("all 5 workers done", lines.get(10), "await returns after every worker");
    }

    @Test
    void pingpong() throws Exception {
        List<String> lines = output(out -> PingPong.run(out, "6"));
        assertEquals(7, lines.size(), lines.toString());
        String first = match("(ping|pong) 1", lines.get(0)).group(1);   // whoever takes the serve
        String second = first.equals("ping") ? "pong" : "ping";
        for (int hit = 1; hit <= 6; hit++) {
            assertEquals((hit % 2 == 1 ? first : second) + " " + hit, lines.get(hit - 1), "players alternate");
        }
        assertEquals("ball hit 6 times", lines.get(6));
    }

    @Test
    void fanin() throws Exception {
        List<String> lines = output(out -> FanIn.run(out));
        assertEquals(11, lines.size());
        int joe = -1;
        int ann = -1;
        for (String l : lines.subList(0, 10)) {
            Matcher m = match("(Joe|Ann) (\\d+)", l);
            int k = Integer.parseInt(m.group(2));
            if (m.group(1).equals("Joe")) {
                assertEquals(joe + 1, k, "each talker's messages in order");
                joe = k;
            } else {
                assertEquals(ann + 1, k, "each talker's messages in order");
                ann = k;
            }
        }
        assertEquals("You're both boring; I'm leaving.", lines.get(10));
    }

    @Test
    void fanout() throws Exception {
        List<String> lines = output(out -> FanOut.run(out, "30", "3"));
        assertEquals(31, lines.size());
        Set<Integer> jobs = new HashSet<>();
        for (String l : lines.subList(0, 30)) {
            Matcher m = match("worker ([123]) squared (\\d+) = (\\d+)", l);
            int j = Integer.parseInt(m.group(2));
            assertEquals(j * j, Integer.parseInt(m.group(3)));
            assertTrue(jobs.add(j), "job " + j + " done twice");
        }
        assertEquals(30, jobs.size());
        assertEquals("30 jobs over 3 workers, sum of squares = 9455", lines.get(30));
    }

    @Test
    void pipeline() throws Exception {
        assertEquals(List.of("4", "9", "16"), output(out -> Pipeline.run(out)));
    }

    @Test
    void cancel() throws Exception {
        List<String> lines = output(out -> Cancel.run(out));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(Integer.parseInt(match("stages running before cancel: (-?\\d+)", lines.get(0)).group(1)) > 0);
        assertEquals("sum of the first 100 primes = 24133 (last 541)", lines.get(1));
        assertTrue(Integer.parseInt(match("stages running after cancel: (-?\\d+)", lines.get(2)).group(1)) <= 0,
                "every stage ended after the cancel");
    }

    @Test
    void workerpool() throws Exception {
        List<String> lines = output(out -> WorkerPool.run(out));
        assertEquals(12, lines.size(), lines.toString());
        assertEquals("results: [2, 4, 6, 8, 10]", lines.get(10));
        long ms = Long.parseLong(match("5 jobs on 3 workers took (\\d+) ms", lines.get(11)).group(1));
        assertTrue(ms >= 90, "two rounds of 50 ms jobs: " + ms);
        for (int j = 1; j <= 5; j++) {
            String job = "job " + j;
            assertEquals(2, lines.stream().filter(l -> l.endsWith(" " + job)).count(), job);
        }
    }

    @Test
    void ratelimit() throws Exception {
        List<String> lines = output(out -> RateLimit.run(out, "20"));
        assertEquals(12, lines.size(), lines.toString());
        long prev = -1;
        for (int i = 0; i < 5; i++) {
            long t = Long.parseLong(match("ticker  request " + (i + 1) + " at \\+(\\d+) ms", lines.get(i)).group(1));
            assertTrue(t >= prev, "in order");
            prev = t;
        }
        assertTrue(prev >= 5 * 20 - 20, "five ticks take about 100 ms: " + prev);
        long[] bucket = new long[6];
        for (int i = 0; i < 6; i++) {
            bucket[i] = Long.parseLong(match("bucket  request " + (i + 1) + " at \\+(\\d+) ms", lines.get(5 + i)).group(1));
        }
        assertTrue(bucket[5] >= 3 * 20 - 5, "after the burst of 3, one per 20 ms: " + bucket[5]);
        assertTrue(lines.get(11).startsWith("bucket: 6 requests, burst 3"));
    }

    @Test
    void httptimeout() throws Exception {
        List<String> lines = output(out -> HttpTimeout.run(out, "150"));
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("GET /fast with a 10 s timeout: 200 hello, fast", lines.get(0));
        assertEquals("GET /slow with a 150 ms timeout: gave up: context deadline exceeded", lines.get(1));
        long waited = Long.parseLong(match("the caller waited (\\d+) ms; .*", lines.get(2)).group(1));
        assertTrue(waited >= 100 && waited < 5_000, "waited about the timeout: " + waited);
    }

    @Test
    void cache() throws Exception {
        assertEquals(List.of("50 goroutines x 10 lookups: 10 loads, 490 hits"), output(out -> Cache.run(out)));
    }

    @Test
    void once() throws Exception {
        assertEquals(List.of("loading config (once)", "config loaded 1 time(s), seen complete by 10 goroutines"),
                output(out -> OnceInit.run(out)));
    }

    @Test
    void pool() throws Exception {
        List<String> lines = output(out -> BufferPool.run(out, "8", "500"));
        Matcher m = match("formatted 4000 lines \\((\\d+) bytes\\) with (\\d+) buffers", lines.get(0));
        int buffers = Integer.parseInt(m.group(2));
        assertTrue(buffers >= 1 && buffers < 4000, "buffers are reused: " + buffers);
    }

    @Test
    void sieve() throws Exception {
        assertEquals(List.of("first 10 primes: 2 3 5 7 11 13 17 19 23 29"), output(out -> Sieve.run(out)));
        assertEquals(List.of("first 25 primes: 2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97"),
                output(out -> Sieve.run(out, "25")));
    }

    @Test
    void httpserver() throws Exception {
        List<String> lines = output(out -> HttpServerBench.run(out, "--conns", "500", "--reqs", "2", "--in-process",
                "--timeout-ms", "20000", "--warmup", "50"));
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("goroutine-per-request HTTP server on 127.0.0.1: 500 concurrent"));
        String[] modes = {"goloom GoRuntime.executor()", "JDK virtual threads (default)", "fixed pool, 200 platform threads"};
        for (int i = 0; i < 3; i++) {
            String l = lines.get(2 + i);
            assertTrue(l.trim().startsWith(modes[i]), l);
            Matcher m = match(".*\\s(\\d+)\\s+(\\d+)\\s+\\d+ ms\\s+\\d+\\s+(\\d+)", l);
            assertEquals(1000, Integer.parseInt(m.group(1)), "all requests answered: " + l);
            assertEquals(0, Integer.parseInt(m.group(2)), "none failed: " + l);
            assertTrue(Long.parseLong(m.group(3)) > 0, l);
        }
    }

    @Test
    void traceoverhead() throws Exception {
        assertTable(output(out -> TraceOverhead.run(out, "1", "0.002")), 6,
                "scenario (median of 1 each way)", ".*\\]\\s+[0-9.]+\\s+[0-9.]+\\s+-?[0-9.]+%");
    }

    @Test
    void floors() throws Exception {
        assertTable(output(out -> Floors.run(out, "1", "0.0001")), 10,
                "floor (median of 1)", ".*\\]\\s+[0-9]+\\s+[0-9.]+\\s+([0-9.]+|NaN)");
    }

    /** A table of {@code size} lines: the header, then rows each matching {@code row}. */
    private static void assertTable(List<String> lines, int size, String header, String row) {
        assertEquals(size, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith(header), lines.get(0));
        for (String l : lines.subList(1, size)) {
            assertTrue(l.matches(row), l);
        }
    }
}
