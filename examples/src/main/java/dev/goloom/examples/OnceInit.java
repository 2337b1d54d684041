package dev.goloom.examples;

import dev.goloom.Go;
import dev.goloom.sync.Once;
import dev.goloom.sync.WaitGroup;
import dev.goloom.time.Time;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lazy initialization with {@link Once}: many goroutines ask for the configuration at once;
 * it is loaded exactly once, and every caller sees it fully loaded.
 *
 * {@snippet lang="go" :
 * var once sync.Once
 * var config map[string]string
 * func Config() map[string]string {
 *     once.Do(func() { config = loadConfig() })
 *     return config
 * }
 * }
 */
public final class OnceInit {
    private OnceInit() {
    }

    private static final Once once = new Once();
    private static Map<String, String> config;      // written once, inside once.run
    static final AtomicInteger loads = new AtomicInteger();

    static Map<String, String> config(PrintStream out) {
        once.run(() -> {
            out.println("loading config (once)");
            Time.sleep(Duration.ofMillis(20));      // slow: the other callers wait for it
            loads.incrementAndGet();
            config = Map.of("addr", "127.0.0.1:8080", "mode", "production");
        });
        return config;                              // safe: run() returns after the load
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Go.main(() -> {
            AtomicInteger seen = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < n; i++) {
                wg.go(() -> {
                    if ("production".equals(config(out).get("mode"))) {
                        seen.incrementAndGet();
                    }
                });
            }
            wg.await();
            out.println("config loaded " + loads.get() + " time(s), seen complete by " + seen.get() + " goroutines");
        });
    }
}
