package dev.goloom.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples' launcher: {@code ./goloom run NAME [args...]} runs the example registered under
 * {@code NAME} (or any class with a {@code main} method, by its full name), and
 * {@code ./goloom run list} lists them.
 *
 * <p>Each example is a small program from the Go canon written the goloom way. Its class has a
 * {@code main(String[])} and a {@code run(PrintStream, String...)} that the tests call with a
 * captured stream.
 */
public final class Examples {
    /** One registered example: its short name, what it shows, and its main class. */
    public record Entry(String name, String description, Class<?> mainClass) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        add("hello", "go + channel: a goroutine sends a greeting, main receives it", Hello.class);
        add("waitgroup", "sync.WaitGroup: start workers, wait for all of them", WaitGroupWorkers.class);
        add("pingpong", "two goroutines hit a ball back and forth over one channel", PingPong.class);
        add("fanin", "fan-in with select: two talkers merged into one channel", FanIn.class);
        add("fanout", "fan-out: one channel of jobs shared by several workers", FanOut.class);
        add("pipeline", "the gen -> sq pipeline of go.dev/blog/pipelines (prints 4 9 16)", Pipeline.class);
        add("cancel", "generate -> filter -> aggregate, cancelled by context once it has enough", Cancel.class);
        add("workerpool", "a worker pool: jobs and results channels, 3 workers", WorkerPool.class);
        add("ratelimit", "rate limiting with a ticker, then a bursty token bucket", RateLimit.class);
        add("httptimeout", "an HTTP fetch in a goroutine, abandoned when its context times out", HttpTimeout.class);
        add("cache", "a cache guarded by RWMutex, loads serialized by a Mutex", Cache.class);
        add("once", "sync.Once: lazy initialization done exactly once", OnceInit.class);
        add("pool", "sync.Pool: reuse buffers across goroutines", BufferPool.class);
        add("sieve", "the concurrent prime sieve: a chain of filter goroutines", Sieve.class);
        add("httpserver", "goroutine-per-request HTTP server: goloom vs JDK virtual threads vs a thread pool",
                HttpServerBench.class);
        add("traceoverhead", "execution tracing: what recording a trace costs on four channel patterns",
                TraceOverhead.class);
        add("floors", "what JDK virtual threads cost underneath goloom: the hand-off and GC floors",
                Floors.class);
    }

    private static void add(String name, String description, Class<?> cls) {
        REGISTRY.put(name, new Entry(name, description, cls));
    }

    private Examples() {
    }

    /** The registered examples, in the order {@code list} prints them. */
    public static Map<String, Entry> registry() {
        return java.util.Collections.unmodifiableMap(REGISTRY);
    }

    /** {@code list}, a registered name, or a class name; the rest are the example's arguments. */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals("list") || args[0].equals("help")) {
            list();
            return;
        }
        Entry e = REGISTRY.get(args[0]);
        Class<?> cls;
        if (e != null) {
            cls = e.mainClass();
        } else {
            try {
                cls = Class.forName(args[0]);
            } catch (ClassNotFoundException notFound) {
                System.err.println("goloom: no example named '" + args[0] + "' (./goloom run list shows them)");
                System.exit(2);
                return;
            }
        }
        Method main = cls.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException ite) {
            throw ite.getCause();
        }
    }

    private static void list() {
        System.out.println("goloom examples (./goloom run NAME [args]):");
        for (Entry e : REGISTRY.values()) {
            System.out.printf("  %-12s %s%n", e.name(), e.description());
        }
    }
}
