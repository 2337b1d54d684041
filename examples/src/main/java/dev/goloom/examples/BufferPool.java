package dev.goloom.examples;

import dev.goloom.Go;
import dev.goloom.sync.Pool;
import dev.goloom.sync.WaitGroup;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Pool} of buffers: many goroutines format log lines, each borrowing a StringBuilder from
 * the pool and putting it back; far fewer buffers are made than lines written.
 *
 * {@snippet lang="go" :
 * var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
 * b := bufPool.Get().(*bytes.Buffer)
 * b.Reset()
 * fmt.Fprintf(b, "%s level=%s msg=%q", now, level, msg)
 * w.Write(b.Bytes())
 * bufPool.Put(b)
 * }
 */
public final class BufferPool {
    private BufferPool() {
    }

    public static void main(String[] args) {
        run(System.out, args);
    }

    public static void run(PrintStream out, String... args) {
        int goroutines = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int linesEach = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Go.main(() -> {
            AtomicInteger made = new AtomicInteger();
            Pool<StringBuilder> pool = new Pool<>(() -> {
                made.incrementAndGet();
                return new StringBuilder(256);
            });
            AtomicLong bytes = new AtomicLong();
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < goroutines; g++) {
                int id = g;
                wg.go(() -> {
                    for (int i = 0; i < linesEach; i++) {
                        StringBuilder b = pool.get();
                        b.setLength(0);             // Reset
                        b.append("ts=").append(i).append(" level=info goroutine=").append(id)
                                .append(" msg=\"request served\"\n");
                        bytes.addAndGet(b.length());    // "write" it
                        pool.put(b);
                    }
                });
            }
            wg.await();
            int lines = goroutines * linesEach;
            out.println("formatted " + lines + " lines (" + bytes.get() + " bytes) with " + made.get()
                    + " buffers");
        });
    }
}
