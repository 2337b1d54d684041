package dev.goloom.bench;

import com.sun.net.httpserver.HttpServer;
import dev.goloom.GoRuntime;
import dev.goloom.bench.Scenario.Ctx;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Goroutine-per-request HTTP: the JDK's {@link HttpServer} on 127.0.0.1 with each request run by
 * goloom's executor, by a virtual thread per task, or by a fixed platform pool; the load comes
 * from {@link #CONNECTIONS} keep-alive raw-socket clients on platform threads in the same process,
 * bounded in count (n requests in all) and in time ({@link #DEADLINE_NANOS}).
 */
public final class Http {
    /* Implementation notes
     *
     * Overview: one server per repetition on an ephemeral loopback port; the load generator is in
     * the same process, on platform threads, identical for every executor, so it costs every
     * runtime the same CPU. Keep-alive HTTP/1.1 with a Content-Length body: the raw-socket client
     * reads exactly one response per request.
     *
     * Invariants: I1 traffic goes to 127.0.0.1 only; the load is bounded in count (n) and time
     * (DEADLINE_NANOS); the server and its executor are stopped in finally.
     *
     * Rejected alternatives: java.net.http.HttpClient as the load (its own executor and HTTP/2
     * machinery would dominate the figure on two cores).
     */

    private Http() {
    }

    static final int CONNECTIONS = 16;
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] REQUEST = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One repetition: n requests in all; returns {requests per second}. */
    public static double[] requests(Rt rt, Ctx c) throws Exception {
        ExecutorService exec = switch (rt) {
            case GOLOOM -> GoRuntime.global().executor();
            case VT -> Executors.newVirtualThreadPerTaskExecutor();
            case PT -> Executors.newFixedThreadPool(CONNECTIONS);
            default -> throw new IllegalArgumentException(rt.toString());
        };
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/hello", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, BODY.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(BODY);
            }
        });
        server.setExecutor(exec);
        server.start();
        try {
            return new double[] {load(server.getAddress().getPort(), Math.max(CONNECTIONS, c.ni()))};
        } finally {
            server.stop(0);
            exec.shutdownNow();
        }
    }

    /** Runs the load: CONNECTIONS clients, n requests in all; returns requests per second. */
    static double load(int port, int n) throws Exception {
        int per = n / CONNECTIONS;
        AtomicLong completed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(CONNECTIONS);
        Throwable[] err = new Throwable[1];
        long t0 = System.nanoTime();
        long deadline = t0 + DEADLINE_NANOS;
        for (int i = 0; i < CONNECTIONS; i++) {
            Thread.ofPlatform().daemon(true).name("http-load-" + i).start(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    for (int r = 0; r < per && System.nanoTime() < deadline; r++) {
                        out.write(REQUEST);
                        out.flush();
                        readResponse(in);
                        completed.incrementAndGet();
                    }
                } catch (Throwable e) {
                    err[0] = e;
                } finally {
                    done.countDown();
                }
            });
        }
        Units.await(done);
        long d = System.nanoTime() - t0;
        if (err[0] != null) {
            throw new IllegalStateException("http load failed", err[0]);
        }
        return completed.get() / (d / 1e9);
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    static void readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int length = -1;
        boolean status = true;
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b == '\n') {
                String l = line.toString().trim();
                line.setLength(0);
                if (status) {
                    if (!l.startsWith("HTTP/1.1 200")) {
                        throw new IOException("bad status: " + l);
                    }
                    status = false;
                } else if (l.isEmpty()) {
                    break;
                } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(l.substring(15).trim());
                }
            } else {
                line.append((char) b);
            }
        }
        if (length < 0) {
            throw new IOException("no content-length");
        }
        in.readNBytes(length);
    }
}
