package dev.goloom.debug;

import dev.goloom.internal.trace.Timeline;
import dev.goloom.internal.trace.TraceData;
import dev.goloom.internal.trace.TraceExport;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code ./goloom trace}: turns an execution trace (from {@code GoRuntime.startTrace},
 * {@code -Dgoloom.trace=FILE} or {@code /debug/goloom/trace}) into something to look at. The
 * counterpart of Go's {@code go tool trace}.
 *
 * <pre>
 * ./goloom trace view   FILE [OUT.html]   a self-contained HTML timeline (default FILE.html)
 * ./goloom trace export FILE [OUT.json]   Chrome/Perfetto trace-event JSON (default FILE.json);
 *                                         open it in ui.perfetto.dev or chrome://tracing
 * </pre>
 *
 * {@snippet :
 * rt.startTrace(Path.of("run.trace"));
 * // ... the program ...
 * rt.stopTrace();
 * TraceTool.view(Path.of("run.trace"), Path.of("run.html"));
 * }
 */
public final class TraceTool {
    private TraceTool() {
    }

    /** The command line; exits 2 on a usage error and 1 when the trace cannot be read. */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !(args[0].equals("view") || args[0].equals("export"))) {
            System.err.println("usage: ./goloom trace view FILE [OUT.html]\n"
                    + "       ./goloom trace export FILE [OUT.json]");
            System.exit(2);
        }
        Path in = Path.of(args[1]);
        boolean view = args[0].equals("view");
        Path out = args.length == 3 ? Path.of(args[2]) : Path.of(args[1] + (view ? ".html" : ".json"));
        try {
            if (view) {
                view(in, out);
            } else {
                export(in, out);
            }
            System.out.println("goloom trace: wrote " + out);
        } catch (NoSuchFileException e) {
            System.err.println("goloom trace: no such file: " + e.getFile());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("goloom trace: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Writes the HTML timeline of trace {@code in} to {@code out}. */
    public static void view(Path in, Path out) throws IOException {
        Timeline t = new Timeline(TraceData.read(in));
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            TraceExport.html(t, in.getFileName().toString(), w);
        }
    }

    /** Writes the Chrome/Perfetto trace-event JSON of trace {@code in} to {@code out}. */
    public static void export(Path in, Path out) throws IOException {
        Timeline t = new Timeline(TraceData.read(in));
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            TraceExport.chromeJson(t, w);
        }
    }
}
