package dev.goloom.bench;

import java.util.Locale;

/** The runtimes the benchmarks compare, in table order. */
public enum Rt {
    GOLOOM("goloom", "goloom (GoRuntime)"),
    GO("go", "Go 1.19"),
    VT("vt", "JDK VT (default scheduler)"),
    PT("pt", "JDK platform threads"),
    KOTLIN("kotlin", "Kotlin coroutines"),
    JOX("jox", "jox (channels on JDK VT)");

    /** the short name used on command lines and in child protocols. */
    public final String key;
    /** the column title. */
    public final String title;

    Rt(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /** The JVM peers goloom is compared with in the "best JVM peer" ratio. */
    public boolean jvmPeer() {
        return this == VT || this == PT || this == KOTLIN || this == JOX;
    }

    public static Rt parse(String s) {
        for (Rt r : values()) {
            if (r.key.equals(s.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown runtime '" + s + "' (goloom, go, vt, pt, kotlin, jox)");
    }
}
