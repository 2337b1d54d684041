package dev.goloom.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Readings of this process: /proc/self/status fields, live heap after a full GC. */
public final class Proc {
    private Proc() {
    }

    /** A /proc/self/status field such as VmRSS or VmHWM, in bytes; -1 if absent. */
    public static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no reading
        }
        return -1;
    }

    /** Heap in use after a full collection ({@code System.gc()}). */
    public static long heapAfterGc() {
        var bean = ManagementFactory.getMemoryMXBean();
        System.gc();
        return bean.getHeapMemoryUsage().getUsed();
    }

    /** The number of CPUs the JVM sees. */
    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The machine's model name from /proc/cpuinfo, or os.arch. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    /** Total memory from /proc/meminfo in bytes, or -1. */
    public static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.substring(9).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }
}
