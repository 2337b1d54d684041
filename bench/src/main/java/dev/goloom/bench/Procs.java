package dev.goloom.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting child processes (JVMs like this one, Go programs) with a time limit, output captured. */
public final class Procs {
    /* Implementation notes
     *
     * Overview: children inherit this JVM's command (same java binary, input arguments minus a
     * debugger agent, class path), so a child sees exactly the flags ./goloom set. stdout goes to a
     * temporary file (no pipe to drain while waiting), stderr is appended to the scenario's log.
     *
     * Invariants: I1 a child never outlives the harness: the time limit kills it and its
     * descendants, and a shutdown hook does the same when the harness itself is stopped.
     */

    private Procs() {
    }

    /** What a child printed, and how it ended. */
    public record Outcome(int exit, boolean timedOut, List<String> stdout, long wallNanos) {
        public boolean ok() {
            return exit == 0 && !timedOut;
        }
    }

    /** The command that starts a JVM like this one (same java, flags and classpath) on {@code BenchMain args}. */
    public static List<String> jvm(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** True when {@code taskset} is on the PATH (to pin a child to one cpu). */
    public static boolean haveTaskset() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A JVM child that timed out: its thread dumps (platform threads, then every virtual thread,
     * i.e. every goroutine with its stack) go to the end of its log before it is killed, so that
     * a hang leaves the evidence a lost wake-up needs. Best effort: a failure is noted, not thrown.
     */
    private static void dumpThreads(Process p, List<String> cmd, Path log) {
        if (cmd.isEmpty() || !cmd.get(0).endsWith("java")) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String pid = Long.toString(p.pid());
        try {
            Path vt = Files.createTempFile(log.getParent(), "threads", ".txt");
            Files.delete(vt);                   // jcmd refuses to overwrite
            for (List<String> c : List.of(List.of(jcmd.toString(), pid, "Thread.print"),
                    List.of(jcmd.toString(), pid, "Thread.dump_to_file", "-format=text", vt.toString()))) {
                Files.writeString(log, "\n--- timeout: " + String.join(" ", c) + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
                Process d = new ProcessBuilder(c).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (!d.waitFor(60, TimeUnit.SECONDS)) {
                    d.destroyForcibly();
                }
            }
            if (Files.exists(vt)) {
                Files.writeString(log, Files.readString(vt), StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
                Files.delete(vt);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                Files.writeString(log, "\n--- timeout: no thread dump: " + e + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the log itself is gone: nothing left to tell
            }
        }
    }

    /**
     * Runs {@code cmd}, stdout captured (and returned), stderr appended to {@code log}; kills it
     * (and its descendants) after {@code timeoutSeconds}.
     */
    public static Outcome run(List<String> cmd, Path log, long timeoutSeconds, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Path outFile = Files.createTempFile(log.getParent(), "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(outFile.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (env != null) {
            pb.environment().putAll(env);
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        // if this JVM is stopped (Ctrl-C), the child and its descendants go too
        Thread reaper = new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            dumpThreads(p, cmd, log);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        long wall = System.nanoTime() - t0;
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        List<String> out = Files.readAllLines(outFile, StandardCharsets.UTF_8);
        Files.writeString(log, String.join("\n", out) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        Files.deleteIfExists(outFile);
        return new Outcome(done ? p.exitValue() : -1, !done, out, wall);
    }
}
