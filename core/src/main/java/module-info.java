/**
 * goloom: Go's concurrency system for Java 25. Exports only the API packages; the engine lives in
 * {@code dev.goloom.internal.*}.
 */
module dev.goloom {
    requires java.management;
    requires jdk.httpserver;
    requires jdk.jfr;

    exports dev.goloom;
    exports dev.goloom.sync;
    exports dev.goloom.context;
    exports dev.goloom.time;
    exports dev.goloom.x;
    exports dev.goloom.debug;
}
