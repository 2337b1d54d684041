package dev.goloom.debug;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.goloom.GoRuntime;
import dev.goloom.SchedStats;
import dev.goloom.internal.trace.TraceRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A debug HTTP endpoint on the JDK's {@link HttpServer}, in the manner of Go's
 * {@code net/http/pprof}: what every goroutine is doing, the scheduler's counters, and an
 * execution trace on demand.
 *
 * <table class="striped">
 * <caption>Endpoints</caption>
 * <tr><th>path</th><th>answers</th></tr>
 * <tr><td>{@code /debug/goloom/}</td><td>an index of the endpoints</td></tr>
 * <tr><td>{@code /debug/goloom/goroutines?debug=1}</td><td>Go's goroutine profile: identical
 *     stacks once, with a count (the default)</td></tr>
 * <tr><td>{@code /debug/goloom/goroutines?debug=2}</td><td>every goroutine in Go's traceback
 *     format, as {@code GoRuntime.dump()}</td></tr>
 * <tr><td>{@code /debug/goloom/sched}</td><td>{@link SchedStats} as Go's {@code schedtrace}
 *     line; {@code ?json=1} as JSON</td></tr>
 * <tr><td>{@code /debug/goloom/deadlocks}</td><td>partial deadlocks and goroutines blocked
 *     forever ({@link Deadlocks#report})</td></tr>
 * <tr><td>{@code /debug/goloom/goroutineleak}</td><td>Go 1.26's goroutine leak profile: the
 *     goroutines the GC proves can never be woken ({@link Deadlocks#leakReport}; runs a few GCs
 *     and reclaims them)</td></tr>
 * <tr><td>{@code /debug/goloom/trace?seconds=N}</td><td>records an execution trace for N seconds
 *     (default 1, at most 60) and returns the file, for {@code ./goloom trace view}</td></tr>
 * </table>
 *
 * <p>The server listens where it is told; {@link #start(GoRuntime, int)} and
 * {@code -Dgoloom.debug.addr=:6060} bind to the loopback interface only, because a dump shows
 * code and a trace costs time. Handlers run on their own virtual threads (not goroutines, so the
 * endpoint keeps answering when the runtime is stuck).
 *
 * {@snippet :
 * try (DebugServer srv = DebugServer.start(GoRuntime.global(), 6060)) {
 *     // curl 'http://127.0.0.1:6060/debug/goloom/goroutines?debug=2'
 *     runTheServer();
 * }
 * }
 */
public final class DebugServer implements AutoCloseable {
    /* Implementation notes
     *
     * Overview
     *   One HttpServer context at /debug/goloom/, routing on the rest of the path. /trace starts
     *   the JVM's one execution trace into a temporary file, sleeps, stops it and streams the
     *   file; if a trace is already running it answers 500 "Could not enable tracing: tracing is
     *   already enabled" as Go's pprof does.
     *
     * Lineage: golang/go src/net/http/pprof/pprof.go (Index, Trace, handler "goroutine").
     * Invariants: I1 close() stops the server and its executor; a running trace request ends
     *   with its own stopTrace (the recorder is never left running by this class).
     * Ownership & locking: stateless handlers; the recorder guards its own start.
     * Memory ordering: none beyond the JDK's HttpServer.
     * Rejected alternatives: running handlers as goroutines (a deadlocked runtime could not be
     *   inspected); a servlet (a dependency).
     */
    private final HttpServer server;
    private final ExecutorService executor;
    private final GoRuntime rt;

    private DebugServer(GoRuntime rt, HttpServer server, ExecutorService executor) {
        this.rt = rt;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving {@code rt}'s debug pages on {@code addr} (port 0: any free port; see
     * {@link #address()}).
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static DebugServer start(GoRuntime rt, InetSocketAddress addr) {
        java.util.Objects.requireNonNull(rt, "rt");
        java.util.Objects.requireNonNull(addr, "addr");
        HttpServer s;
        try {
            s = HttpServer.create(addr, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("goloom: debug server cannot listen on " + addr, e);
        }
        ExecutorService ex = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("goloom-debug-http-", 0).factory());
        DebugServer d = new DebugServer(rt, s, ex);
        s.setExecutor(ex);
        s.createContext("/debug/goloom/", d::handle);
        s.start();
        return d;
    }

    /** Starts serving on the loopback interface, port {@code port} (0: any free port). */
    public static DebugServer start(GoRuntime rt, int port) {
        return start(rt, new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops the server (waits at most one second for requests in progress). */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------- handlers

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI u = ex.getRequestURI();
            Map<String, String> q = query(u.getRawQuery());
            String path = u.getPath().substring("/debug/goloom/".length());
            switch (path) {
                case "" -> send(ex, 200, "text/html; charset=utf-8", INDEX.getBytes(StandardCharsets.UTF_8));
                case "goroutines" -> goroutines(ex, q);
                case "sched" -> sched(ex, q);
                case "deadlocks" -> {
                    String r = Deadlocks.report(rt);
                    text(ex, 200, r.isEmpty() ? "no partial deadlock found\n" : r);
                }
                case "goroutineleak" -> {
                    String r = Deadlocks.leakReport(rt);
                    text(ex, 200, r.isEmpty() ? "no leaked goroutine found\n" : r);
                }
                case "trace" -> trace(ex, q);
                default -> text(ex, 404, "404 page not found\n");
            }
        } catch (RuntimeException e) {
            // the exchange is closed by try-with-resources; a broken handler must not kill the server
        }
    }

    private void goroutines(HttpExchange ex, Map<String, String> q) throws IOException {
        String debug = q.getOrDefault("debug", "1");
        switch (debug) {
            case "2" -> text(ex, 200, rt.dump());
            case "1", "0" -> text(ex, 200, Goroutines.dumpGrouped(rt));
            default -> text(ex, 400, "debug must be 0, 1 or 2\n");
        }
    }

    private void sched(HttpExchange ex, Map<String, String> q) throws IOException {
        SchedStats s = rt.schedStats();
        int n = rt.numGoroutine();
        if ("1".equals(q.get("json"))) {
            StringBuilder lr = new StringBuilder("[");
            int[] l = s.localRunQueues();
            for (int i = 0; i < l.length; i++) {
                lr.append(i == 0 ? "" : ",").append(l[i]);
            }
            lr.append(']');
            String json = "{\"maxProcs\":" + s.maxProcs() + ",\"idleProcs\":" + s.idleProcs()
                    + ",\"threads\":" + s.threads() + ",\"spinningThreads\":" + s.spinningThreads()
                    + ",\"idleThreads\":" + s.idleThreads() + ",\"globalRunQueue\":" + s.globalRunQueue()
                    + ",\"localRunQueues\":" + lr + ",\"goroutinesCreated\":" + s.goroutinesCreated()
                    + ",\"steals\":" + s.steals() + ",\"handoffs\":" + s.handoffs() + ",\"goroutines\":" + n + "}\n";
            send(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
            return;
        }
        text(ex, 200, schedLine(s, n));
    }

    /** Go's {@code schedtrace} line, plus goloom's cumulative counters. */
    static String schedLine(SchedStats s, int goroutines) {
        StringBuilder sb = new StringBuilder("SCHED: gomaxprocs=").append(s.maxProcs())
                .append(" idleprocs=").append(s.idleProcs()).append(" threads=").append(s.threads())
                .append(" spinningthreads=").append(s.spinningThreads()).append(" idlethreads=")
                .append(s.idleThreads()).append(" runqueue=").append(s.globalRunQueue()).append(" [");
        int[] l = s.localRunQueues();
        for (int i = 0; i < l.length; i++) {
            sb.append(i == 0 ? "" : " ").append(l[i]);
        }
        return sb.append("]\ngoroutines=").append(goroutines).append(" created=").append(s.goroutinesCreated())
                .append(" steals=").append(s.steals()).append(" handoffs=").append(s.handoffs()).append('\n')
                .toString();
    }

    private void trace(HttpExchange ex, Map<String, String> q) throws IOException {
        double secs;
        try {
            secs = Double.parseDouble(q.getOrDefault("seconds", "1"));
        } catch (NumberFormatException e) {
            text(ex, 400, "Bad seconds\n");
            return;
        }
        if (!(secs > 0) || secs > 60) {
            text(ex, 400, "seconds must be in (0, 60]\n");
            return;
        }
        Path f = Files.createTempFile("goloom-", ".trace");
        try {
            TraceRecorder r;
            try {
                rt.startTrace(f);
                r = TraceRecorder.active();
            } catch (IllegalStateException e) {
                text(ex, 500, "Could not enable tracing: tracing is already enabled\n");
                return;
            }
            try {
                Thread.sleep(Duration.ofNanos((long) (secs * 1e9)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (r != null) {
                    r.stop();                               // keeps I1
                }
            }
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"goloom.trace\"");
            send(ex, 200, "application/octet-stream", Files.readAllBytes(f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            String k = java.net.URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : java.net.URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return m;
    }

    private static void text(HttpExchange ex, int code, String body) throws IOException {
        send(ex, code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    private static final String INDEX = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>/debug/goloom/</title></head><body>
            <h1>/debug/goloom/</h1>
            <ul>
            <li><a href="goroutines?debug=1">goroutines?debug=1</a>: stacks grouped, with counts</li>
            <li><a href="goroutines?debug=2">goroutines?debug=2</a>: every goroutine, Go's traceback format</li>
            <li><a href="sched">sched</a> (<a href="sched?json=1">json</a>): scheduler counters</li>
            <li><a href="deadlocks">deadlocks</a>: partial deadlocks, goroutines blocked forever</li>
            <li><a href="goroutineleak">goroutineleak</a>: goroutines the GC proves can never be woken (runs GCs)</li>
            <li><a href="trace?seconds=1">trace?seconds=N</a>: an execution trace (./goloom trace view FILE)</li>
            </ul></body></html>
            """;
}
