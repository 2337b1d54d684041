package dev.goloom.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.goloom.Chan;
import dev.goloom.Go;
import dev.goloom.GoRuntime;
import dev.goloom.Recv;
import dev.goloom.Select;
import dev.goloom.context.CancelContext;
import dev.goloom.context.Context;
import dev.goloom.sync.Mutex;
import dev.goloom.sync.Once;
import dev.goloom.sync.Pool;
import dev.goloom.sync.RWMutex;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Ticker;
import dev.goloom.time.Time;
import dev.goloom.x.ErrGroup;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Every Java code sample of the README, compiled and run. {@link #readmeHasNoOtherJava()} checks
 * that each ```java block of README.md appears, line for line (indentation aside), in this file.
 */
class ReadmeSnippetsTest {
    // ------------------------------------------------------------------ helpers the samples call
    static String fetch(Context ctx, String url) {
        ctx.check();
        return "<html>" + url + "</html>";
    }

    static String slowFetch(Context ctx) {
        ctx.done().recv();                  // answers only after the caller has given up
        return "too late";
    }

    // ------------------------------------------------------------------ the samples

    @Test
    void goAndChannels() {
        Go.main(() -> {
            Chan<String> messages = Chan.make();        // messages := make(chan string)
            Go.go(() -> messages.send("ping"));         // go func() { messages <- "ping" }()
            String msg = messages.recv();               // msg := <-messages
            System.out.println(msg);
        });
    }

    @Test
    void closeAndRange() {
        Chan<Integer> queue = Chan.make(2);             // queue := make(chan int, 2)
        queue.send(1);
        queue.send(2);
        queue.close();                                  // close(queue)
        for (int v : queue) {                           // for v := range queue
            System.out.println(v);
        }
        Recv<Integer> r = queue.recvOk();               // v, ok := <-queue
        System.out.println(r.ok());                     // false: closed and drained
        assertFalse(r.ok());
    }

    @Test
    void selectWithTimeoutAndDefault() {
        List<String> seen = new ArrayList<>();
        Chan<String> results = Chan.make(1);
        Chan<Void> quit = Chan.make();
        Select.select(
                Select.recv(results, s -> System.out.println("got " + s)),
                Select.recv(quit, v -> System.out.println("quit")),
                Select.after(Duration.ofMillis(50), () -> System.out.println("timeout")));

        Select.select(                                  // select with default: never blocks
                Select.send(results, "hi", () -> System.out.println("sent")),
                Select.otherwise(() -> System.out.println("nobody ready")));
        seen.add(results.recv());
        assertEquals(List.of("hi"), seen);
    }

    @Test
    void syncPackage() {
        Mutex mu = new Mutex();
        Map<String, Integer> counts = new HashMap<>();
        WaitGroup wg = new WaitGroup();
        for (String word : List.of("a", "b", "a")) {
            wg.go(() -> {                               // wg.Go(func() { ... })
                mu.lock();
                try {                                   // defer mu.Unlock()
                    counts.merge(word, 1, Integer::sum);
                } finally {
                    mu.unlock();
                }
            });
        }
        wg.await();                                     // wg.Wait()

        RWMutex rw = new RWMutex();
        rw.rLock();
        int a = counts.get("a");
        rw.rUnlock();

        Once once = new Once();
        once.run(() -> System.out.println("initialized once"));

        Pool<StringBuilder> buffers = new Pool<>(StringBuilder::new);
        StringBuilder b = buffers.get();
        b.setLength(0);
        buffers.put(b);
        assertEquals(2, a);
    }

    @Test
    void contextWithTimeout() {
        try (CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(100))) {
            Chan<String> result = Chan.make(1);         // buffered: the fetch can always finish
            Go.go(() -> result.send(slowFetch(ctx)));
            Select.select(
                    Select.recv(result, s -> System.out.println(s)),
                    Select.recv(ctx.done(), v -> System.out.println(ctx.err().getMessage())));
        }                                               // close() = cancel(): Go's defer cancel()
    }

    @Test
    void errGroup() {
        ErrGroup g = ErrGroup.withContext(Context.background());
        Map<String, String> pages = new ConcurrentHashMap<>();
        for (String url : List.of("https://go.dev", "https://openjdk.org")) {
            g.go(() -> pages.put(url, fetch(g.context(), url)));
        }
        g.await();                                      // throws the first failure, if any
        assertEquals(2, pages.size());
    }

    @Test
    void timePackage() {
        Time.sleep(Duration.ofMillis(10));              // time.Sleep(10 * time.Millisecond)
        Ticker ticker = Time.newTicker(Duration.ofMillis(10));
        for (int i = 0; i < 3; i++) {
            Instant t = ticker.c().recv();              // t := <-ticker.C
            System.out.println("tick at " + t);
        }
        ticker.stop();
    }

    @Test
    void httpServerPerRequestGoroutines() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.setExecutor(GoRuntime.global().executor());     // one goroutine per request
        server.start();
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("hello\n", r.body());
        } finally {
            server.stop(0);
        }
    }

    // ------------------------------------------------------------------ README <-> this file

    @Test
    void readmeHasNoOtherJava() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String self = "\n" + normalize(Files.readString(Path.of("src/test/java/dev/goloom/examples/ReadmeSnippetsTest.java")));
        int blocks = 0;
        for (int i = readme.indexOf("```java\n"); i >= 0; i = readme.indexOf("```java\n", i + 1)) {
            int end = readme.indexOf("```", i + 8);
            String block = normalize(readme.substring(i + 8, end));
            assertTrue(self.contains("\n" + block), "README block not in ReadmeSnippetsTest:\n" + block);
            blocks++;
        }
        assertTrue(blocks >= 8, "README has " + blocks + " java blocks");
    }

    private static String normalize(String code) {
        StringBuilder sb = new StringBuilder();
        for (String line : code.split("\n")) {
            String t = line.strip().replaceAll("\\s+", " ");
            if (!t.isEmpty()) {
                sb.append(t).append('\n');
            }
        }
        return sb.toString();
    }
}
