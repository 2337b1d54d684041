package dev.goloom.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's column: finds Go 1.19 (installing Debian's golang-1.19-go when absent and running as
 * root), copies ../shared/anchors/go to bench/target/go/src, adds the programs of bench/go, builds
 * them, and runs one program per scenario, parsing its {@code key: median unit (min a max b n=k)}
 * lines. A program's output is cached per command line within one process run, so scenarios that
 * share a program (spsc and mpmc, the two timer rows) run it once per run.
 */
public final class GoSide {
    /* Implementation notes
     *
     * Overview: Go's column. prepare() finds Go (Debian's /usr/lib/go-1.19/bin/go, else `go` on the
     * PATH), or installs golang-1.19-go with apt-get when running as root (otherwise it prints the
     * command and Go's cells say so); copies ../shared/anchors/go (module "anchors") to
     * bench/target/go/src, adds every folder of bench/go beside its programs, and builds them all
     * with GOFLAGS=-mod=mod CGO_ENABLED=0 and a GOCACHE under target/. run() starts one program and
     * parses its lines.
     *
     * Lineage: ../shared/anchors/run.sh (build step, flags) and summarize.py (the output format).
     *
     * Invariants: I1 ../shared is never written: the programs are copied before building. I2 one
     * command line runs at most once per round (cache), so rows sharing a program see the same run.
     *
     * Rejected alternatives: `go run` per scenario (compiles every time); the Go module proxy or a
     * downloaded toolchain (only Debian's package is allowed here).
     */

    static final String DEBIAN_GO = "/usr/lib/go-1.19/bin/go";

    private final Path root;
    private final Path logDir;
    private String go;
    private Path bin;
    /** why Go's column is empty, when it is. */
    private String unavailable;
    private final Map<String, Map<String, Stats>> cache = new HashMap<>();

    GoSide(Path root, Path logDir) {
        this.root = root;
        this.logDir = logDir;
    }

    /** Why Go's figures are missing, or null when Go is ready. */
    public String unavailable() {
        return unavailable;
    }

    /** Finds or installs Go, builds the programs; on failure records why and returns false. */
    public boolean prepare() {
        try {
            go = findGo();
            if (go == null) {
                return false;
            }
            Path anchors = anchorsDir();
            if (anchors == null) {
                unavailable = "n/a (../shared/anchors/go not found)";
                return false;
            }
            Path build = root.resolve("bench/target/go");
            Path src = build.resolve("src");
            deleteTree(src);
            copyTree(anchors, src);
            Path extra = root.resolve("bench/go");
            try (var dirs = Files.list(extra)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    copyTree(d, src.resolve(d.getFileName().toString()));
                }
            }
            bin = build.resolve("bin");
            Files.createDirectories(bin);
            Map<String, String> env = new HashMap<>();
            env.put("GOFLAGS", "-mod=mod");
            env.put("CGO_ENABLED", "0");
            env.put("GOCACHE", build.resolve("cache").toString());
            env.put("GOPATH", build.resolve("gopath").toString());
            env.put("GOTOOLCHAIN", "local");
            System.err.println("bench: building the Go programs (" + version() + ")");
            Procs.Outcome o = Procs.run(List.of("sh", "-c", "cd '" + src + "' && '" + go + "' build -o '" + bin + "/' ./..."),
                    logDir.resolve("go-build.log"), 600, env);
            if (!o.ok()) {
                unavailable = "n/a (Go build failed; see " + logDir.resolve("go-build.log") + ")";
                return false;
            }
            return true;
        } catch (IOException e) {
            unavailable = "n/a (Go: " + e.getMessage() + ")";
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "n/a (interrupted)";
            return false;
        }
    }

    /** ../shared/anchors/go beside the repository (or -Dgoloom.anchors=DIR). */
    Path anchorsDir() {
        String p = System.getProperty("goloom.anchors");
        List<Path> candidates = new ArrayList<>();
        if (p != null) {
            candidates.add(Path.of(p));
        }
        // ../shared beside the repository, or beside any folder above it (a worktree under wt/)
        for (Path d = root; d != null; d = d.getParent()) {
            candidates.add(d.resolve("shared/anchors/go"));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("go.mod"))) {
                return c.normalize();
            }
        }
        return null;
    }

    /** `go version`'s line; "not run" when Go was not asked for (--runtimes without go). */
    String version() {
        if (go == null) {
            return "not run";
        }
        try {
            Procs.Outcome o = Procs.run(List.of(go, "version"), logDir.resolve("go-build.log"), 30, null);
            return o.stdout().isEmpty() ? "go" : o.stdout().get(0);
        } catch (IOException | InterruptedException e) {
            return "go";
        }
    }

    /** Go 1.19: Debian's path, else `go` on PATH; installs golang-1.19-go as root when neither exists. */
    String findGo() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of(DEBIAN_GO))) {
            return DEBIAN_GO;
        }
        String onPath = which("go");
        if (onPath != null) {
            return onPath;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            unavailable = "n/a (Go not installed: sudo apt-get install -y golang-1.19-go)";
            System.err.println("bench: Go 1.19 is not installed and this is not root; run"
                    + " 'sudo apt-get update && sudo apt-get install -y golang-1.19-go' for Go's column");
            return null;
        }
        System.err.println("bench: installing Go 1.19 (apt-get install golang-1.19-go)...");
        Procs.Outcome o = Procs.run(List.of("sh", "-c",
                        "apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=300 golang-1.19-go"),
                logDir.resolve("go-install.log"), 900, Map.of("DEBIAN_FRONTEND", "noninteractive"));
        if (o.ok() && Files.isExecutable(Path.of(DEBIAN_GO))) {
            return DEBIAN_GO;
        }
        unavailable = "n/a (installing golang-1.19-go failed; see " + logDir.resolve("go-install.log") + ")";
        return null;
    }

    static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /**
     * Runs the scenario's Go program for size n with the given repetitions (cached per command
     * line and run index); returns the figures by key, or throws with the reason.
     */
    public Map<String, Stats> run(Scenario.GoSpec spec, long n, int reps, int runIndex, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(spec.program()).toString());
        cmd.addAll(spec.args().apply(n));
        cmd.add("-reps");
        cmd.add(String.valueOf(reps));
        String key = runIndex + " " + cmd;
        Map<String, Stats> hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        Procs.Outcome o = Procs.run(cmd, logDir.resolve("go-" + spec.program() + ".log"), timeoutSeconds, null);
        if (o.timedOut()) {
            throw new IOException("timeout after " + timeoutSeconds + " s");
        }
        if (!o.ok()) {
            throw new IOException("exit " + o.exit());
        }
        Map<String, Stats> m = parse(o.stdout());
        cache.put(key, m);
        return m;
    }

    /** Parses "key: median unit (min a max b n=k)" and "key: value unit" lines. */
    static Map<String, Stats> parse(List<String> lines) {
        Map<String, Stats> m = new HashMap<>();
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            int c = line.indexOf(": ");
            if (c <= 0) {
                continue;
            }
            String k = line.substring(0, c);
            String[] f = line.substring(c + 2).trim().split("\\s+");
            try {
                double med = Double.parseDouble(f[0]);
                double min = med;
                double max = med;
                int cnt = 1;
                for (int i = 2; i + 1 < f.length; i++) {
                    switch (f[i].replace("(", "")) {
                        case "min" -> min = Double.parseDouble(f[i + 1]);
                        case "max" -> max = Double.parseDouble(f[i + 1]);
                        default -> {
                            if (f[i].startsWith("n=")) {
                                cnt = Integer.parseInt(f[i].substring(2).replace(")", ""));
                            }
                        }
                    }
                }
                if (f.length > 0 && f[f.length - 1].startsWith("n=")) {
                    cnt = Integer.parseInt(f[f.length - 1].substring(2).replace(")", ""));
                }
                m.put(k, new Stats(med, min, max, cnt));
            } catch (NumberFormatException e) {
                // not a figure line
            }
        }
        return m;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            s.forEach(p -> {
                try {
                    Path t = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
