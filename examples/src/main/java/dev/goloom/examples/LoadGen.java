package dev.goloom.examples;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP load generator of the {@code httpserver} example: opens {@code conns} keep-alive
 * connections to the server at once (one JDK virtual thread each), waits until all are
 * connected, then fires {@code reqs} requests on every connection back to back and counts the
 * answers. Bounded in count (conns x reqs requests) and in time (every connect and read has a
 * timeout, and the whole run a deadline).
 *
 * <p>Run in its own JVM by default ({@link #main}) so that client and server sockets do not
 * share one process's file-descriptor limit; tests run it in-process with a small burst.
 */
public final class LoadGen {
    private LoadGen() {
    }

    /** What a run measured. */
    public record Stats(long ok, long failed, long connectNanos, long nanos) {
        double perSecond() {
            return nanos == 0 ? 0 : ok * 1e9 / nanos;
        }

        String line() {
            return "RESULT " + ok + " " + failed + " " + connectNanos + " " + nanos;
        }

        static Stats parse(String line) {
            String[] f = line.trim().split(" ");
            return new Stats(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
        }
    }

    /** {@code host port conns reqs timeoutMillis}; prints one RESULT line. */
    public static void main(String[] args) throws Exception {
        Stats s = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        System.out.println(s.line());
    }

    /** Runs the load against host:port. */
    public static Stats run(String host, int port, int conns, int reqs, int timeoutMillis) throws InterruptedException {
        byte[] request = ("GET /hello HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(conns);
        CountDownLatch fire = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(conns);
        List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        long t1;
        long t2;
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < conns; c++) {
                exec.execute(() -> {
                    Socket s = new Socket();
                    sockets.add(s);
                    int done = 0;
                    try {
                        try {
                            s.connect(new InetSocketAddress(host, port), timeoutMillis);
                            s.setSoTimeout(timeoutMillis);
                            s.setTcpNoDelay(true);
                        } finally {
                            connected.countDown();
                        }
                        fire.await();
                        OutputStream os = s.getOutputStream();
                        InputStream is = new BufferedInputStream(s.getInputStream());
                        for (; done < reqs; done++) {
                            os.write(request);
                            os.flush();
                            readResponse(is);
                            ok.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        if (failed.getAndAdd(reqs - done) == 0) {
                            System.err.println("loadgen: first failure (request " + (done + 1) + "): " + e);
                        }
                    } finally {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing a failed socket
                        }
                        finished.countDown();
                    }
                });
            }
            connected.await(timeoutMillis * 2L, TimeUnit.MILLISECONDS);
            t1 = System.nanoTime();
            fire.countDown();
            if (!finished.await(timeoutMillis * 2L, TimeUnit.MILLISECONDS)) {
                synchronized (sockets) {           // past the deadline: abandon the stragglers
                    for (Socket s : sockets) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // best effort
                        }
                    }
                }
            }
            t2 = System.nanoTime();
        }
        return new Stats(ok.get(), failed.get(), t1 - t0, t2 - t1);
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; throws unless it is a 200. */
    static void readResponse(InputStream is) throws IOException {
        StringBuilder head = new StringBuilder();
        int state = 0;                              // matched bytes of \r\n\r\n
        while (state < 4) {
            int b = is.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            head.append((char) b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString();
        if (!h.startsWith("HTTP/1.1 200")) {
            throw new IOException("bad status: " + h.lines().findFirst().orElse(""));
        }
        int len = 0;
        for (String line : h.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                len = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        for (int i = 0; i < len; i++) {
            if (is.read() < 0) {
                throw new IOException("connection closed mid-body");
            }
        }
    }
}
