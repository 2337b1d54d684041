package dev.goloom.examples;

import com.sun.net.httpserver.HttpServer;
import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.GoRuntime;
import dev.goloom.Select;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A context timeout on an HTTP fetch: the fetch runs in a goroutine that sends its outcome on a
 * channel; the caller selects on that channel and {@code ctx.done()}, so a slow server costs it
 * no more than the timeout. The example starts its own server on 127.0.0.1 with a fast and a
 * slow page.
 *
 * {@snippet lang="go" :
 * ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
 * defer cancel()
 * c := make(chan result, 1)             // buffered: the abandoned fetch can still send and end
 * go func() { c <- fetch(url) }()
 * select {
 * case r := <-c:       fmt.Println(r)
 * case <-ctx.Done():   fmt.Println(ctx.Err())
 * }
 * }
 */
public final class HttpTimeout {
    private HttpTimeout() {
    }

    /** A fetch's outcome: a status and body, or a failure. */
    record Result(int status, String body, Exception failure) {
    }

    public static void main(String[] args) throws IOException {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) throws IOException {
        Duration timeout = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 200);
        Duration generous = Duration.ofSeconds(10);  // the first request of a fresh JVM is slow
        CountDownLatch shutdown = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fast", ex -> reply(ex, "hello, fast"));
        server.createContext("/slow", ex -> {
            try {
                shutdown.await();                   // "slow": answers only when the server stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, "hello, eventually");
        });
        server.setExecutor(GoRuntime.global().executor());   // each request a goroutine
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (HttpClient client = HttpClient.newHttpClient()) {
            Go.main(() -> {
                try (CancelContext ctx = Context.withTimeout(Context.background(), generous)) {
                    out.println("GET /fast with a " + generous.toSeconds() + " s timeout: "
                            + fetch(ctx, client, URI.create(base + "/fast")));
                }
                try (CancelContext ctx = Context.withTimeout(Context.background(), timeout)) {
                    long t0 = System.nanoTime();
                    String r = fetch(ctx, client, URI.create(base + "/slow"));
                    out.println("GET /slow with a " + timeout.toMillis() + " ms timeout: " + r);
                    out.println("the caller waited " + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                            + " ms; the abandoned fetch ends on its own when the server answers");
                }
            });
            shutdown.countDown();                   // let the slow handler (and the abandoned fetch) end
        } finally {
            shutdown.countDown();
            server.stop(0);
        }
    }

    /** The fetch in a goroutine, abandoned if ctx ends first. */
    static String fetch(Context ctx, HttpClient client, URI uri) {
        Chan<Result> c = Chan.make(1);              // buffered: the goroutine never blocks on it
        Go.go(() -> {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                c.send(new Result(r.statusCode(), r.body(), null));
            } catch (IOException | InterruptedException e) {
                c.send(new Result(0, null, e));
            }
        });
        Result[] got = {null};
        int i = Select.select(
                Select.recv(c, r -> got[0] = r),
                Select.recv(ctx.done(), v -> { }));
        if (i == 1) {
            return "gave up: " + ctx.err().getMessage();
        }
        Result r = got[0];
        return r.failure() != null ? "failed: " + r.failure() : r.status() + " " + r.body();
    }

    static void reply(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
