/**
 * goloom: Go's concurrency system for Java 25. Exports only the API packages; the engine lives in
 * {@code dev.goloom.internal.*}.
 */
module dev.goloom {
    requires java.management;
    requires jdk.httpserver;
    requires jdk.jfr;

    exports dev.goloom;
    // exports dev.goloom.sync;   (uncommented when the package has its first class)
    // exports dev.goloom.context;   (uncommented when the package has its first class)
    // exports dev.goloom.time;   (uncommented when the package has its first class)
    // exports dev.goloom.x;   (uncommented when the package has its first class)
    exports dev.goloom.debug;
}
