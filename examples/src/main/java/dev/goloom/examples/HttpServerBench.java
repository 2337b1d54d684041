package dev.goloom.examples;

import com.sun.net.httpserver.HttpServer;
import dev.goloom.GoRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Goroutine-per-request serving on the JDK's {@link HttpServer}: the server's executor is
 * {@link GoRuntime#executor()}, so every request runs as a goroutine — Go's net/http model.
 * A Java load generator ({@link LoadGen}) sends a burst of keep-alive requests on loopback
 * (default: 10,000 concurrent connections, 2 requests each), and the same server is then run on
 * the JDK's default virtual-thread executor and on a fixed pool of platform threads, for
 * comparison. The handler sleeps a little (a stand-in for a call to a backend) and answers
 * {@code hello}.
 *
 * {@snippet :
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 4096);
 * server.createContext("/hello", exchange -> { ... });
 * server.setExecutor(GoRuntime.global().executor());   // one goroutine per request
 * server.start();
 * }
 *
 * <p>Options: {@code --conns N} (concurrent connections), {@code --reqs R} (requests per
 * connection), {@code --sleep-ms S} (handler's sleep), {@code --pool P} (platform pool size),
 * {@code --timeout-ms T} (per connect/read), {@code --warmup W} (connections of the unreported
 * warm-up round before each measured one; default min(N, 1000)), {@code --in-process} (run the load generator in this
 * JVM; by default it runs in a child JVM, so that the 10,000 client sockets do not count against
 * this process's file-descriptor limit). Figures taken on a busy or small machine are not
 * benchmark results; {@code ./goloom bench} is where numbers are recorded.
 */
public final class HttpServerBench {
    private HttpServerBench() {
    }

    static {
        allowKeepAlive(20_000);
    }

    /**
     * The JDK's HttpServer closes a keep-alive connection after its response when more than
     * {@code sun.net.httpserver.maxIdleConnections} (default 200) are idle; a burst of thousands
     * of keep-alive clients needs more. It also leaves Nagle's algorithm on; this turns it off.
     * The properties are read once, when the first HttpServer starts; values given on the
     * command line win.
     */
    static void allowKeepAlive(int n) {
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(n));
        }
        // the server writes headers and body separately: without TCP_NODELAY, Nagle's algorithm
        // holds the body until the client's delayed ACK (~40 ms per request on Linux loopback)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    record Mode(String name, Supplier<ExecutorService> executor) {
    }

    public static void main(String[] args) throws Exception {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) throws Exception {
        int conns = 10_000;
        int reqs = 2;
        int sleepMs = 1;
        int pool = 200;
        int timeoutMs = 30_000;
        boolean inProcess = false;
        int warmup = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--conns" -> conns = Integer.parseInt(args[++i]);
                case "--reqs" -> reqs = Integer.parseInt(args[++i]);
                case "--sleep-ms" -> sleepMs = Integer.parseInt(args[++i]);
                case "--pool" -> pool = Integer.parseInt(args[++i]);
                case "--timeout-ms" -> timeoutMs = Integer.parseInt(args[++i]);
                case "--in-process" -> inProcess = true;
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("httpserver: unknown option " + args[i]);
            }
        }
        int poolSize = pool;
        List<Mode> modes = List.of(
                new Mode("goloom GoRuntime.executor()", () -> GoRuntime.global().executor()),
                new Mode("JDK virtual threads (default)", Executors::newVirtualThreadPerTaskExecutor),
                new Mode("fixed pool, " + poolSize + " platform threads", () -> Executors.newFixedThreadPool(poolSize)));
        out.printf("goroutine-per-request HTTP server on 127.0.0.1: %,d concurrent keep-alive connections x %d "
                + "requests, handler sleeps %d ms, load generator %s, each after a warm-up of %d connections%n",
                conns, reqs, sleepMs, inProcess ? "in-process" : "in a child JVM",
                warmup >= 0 ? warmup : Math.min(conns, 1000));
        out.printf("  %-36s %9s %7s %9s %9s %12s%n", "server executor", "ok", "failed", "connect", "ms", "requests/s");
        int warmConns = warmup >= 0 ? warmup : Math.min(conns, 1000);
        for (Mode m : modes) {
            if (warmConns > 0) {                    // JIT the server and client paths first, unreported
                serveOnce(m.executor().get(), warmConns, reqs, sleepMs, timeoutMs, inProcess);
            }
            LoadGen.Stats s = serveOnce(m.executor().get(), conns, reqs, sleepMs, timeoutMs, inProcess);
            out.printf("  %-36s %9d %7d %7d ms %9d %12.0f%n", m.name(), s.ok(), s.failed(),
                    s.connectNanos() / 1_000_000, s.nanos() / 1_000_000, s.perSecond());
        }
    }

    static LoadGen.Stats serveOnce(ExecutorService exec, int conns, int reqs, int sleepMs, int timeoutMs,
            boolean inProcess) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), Math.min(conns, 4096));
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/hello", ex -> {
            try {
                if (sleepMs > 0) {
                    Thread.sleep(sleepMs);         // a backend call: blocks this request only
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, hello.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(hello);
            }
        });
        server.setExecutor(exec);
        server.start();
        int port = server.getAddress().getPort();
        try {
            return inProcess
                    ? LoadGen.run("127.0.0.1", port, conns, reqs, timeoutMs)
                    : inChildJvm(port, conns, reqs, timeoutMs);
        } finally {
            server.stop(0);
            exec.shutdown();
            exec.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Runs LoadGen in a child JVM with this JVM's java and class path; returns its stats. */
    static LoadGen.Stats inChildJvm(int port, int conns, int reqs, int timeoutMs) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                LoadGen.class.getName(), "127.0.0.1", Integer.toString(port), Integer.toString(conns),
                Integer.toString(reqs), Integer.toString(timeoutMs)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(timeoutMs * 5L, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
        }
        if (result == null) {
            throw new IOException("httpserver: the load generator (exit " + p.exitValue() + ") reported nothing");
        }
        return LoadGen.Stats.parse(result);
    }
}
