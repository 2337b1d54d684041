package dev.goloom.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.internal.sched.WaitReason;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR bridge: on only while a recording runs; the five event types land in the recording. */
class JfrBridgeTest {
    @TempDir
    Path dir;

    @Test
    void eventsReachARecordingOnlyWhileItRuns() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("jfr").build()) {   // starts watching JFR
            assertFalse(JfrBridge.active());
            Path f = dir.resolve("goloom.jfr");
            try (Recording r = new Recording()) {
                r.enable("dev.goloom.GoroutineCreate");
                r.enable("dev.goloom.GoroutineBlock");
                r.enable("dev.goloom.GoroutineUnblock");
                r.enable("dev.goloom.Handoff");
                r.enable("dev.goloom.Steal");
                r.start();
                JfrBridge.refresh();
                assertTrue(JfrBridge.active(), "the bridge follows a running recording");
                assertTrue(Trace.on);
                Trace.emit(Trace.GO_CREATE, 0, 501, 500, "jfr-worker");
                Trace.emit(Trace.GO_BLOCK, 0, 501, WaitReason.SELECT.ordinal());
                Trace.emit(Trace.GO_UNBLOCK, 1, 501, 500);
                Trace.emit(Trace.HANDOFF, 1, 501, 0);
                Trace.emit(Trace.STEAL, 1, 0, 7);
                r.stop();
                r.dump(f);
            }
            JfrBridge.refresh();
            assertFalse(JfrBridge.active(), "off again once no recording runs");
            Map<String, RecordedEvent> byName = new HashMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
                if (e.getEventType().getName().startsWith("dev.goloom.")) {
                    byName.put(e.getEventType().getName(), e);
                }
            }
            assertEquals(List.of("dev.goloom.GoroutineBlock", "dev.goloom.GoroutineCreate", "dev.goloom.GoroutineUnblock",
                    "dev.goloom.Handoff", "dev.goloom.Steal"), byName.keySet().stream().sorted().toList());
            RecordedEvent c = byName.get("dev.goloom.GoroutineCreate");
            assertEquals(501L, c.getLong("goid"));
            assertEquals(500L, c.getLong("parent"));
            assertEquals("jfr-worker", c.getString("name"));
            assertEquals("select", byName.get("dev.goloom.GoroutineBlock").getString("reason"));
            assertEquals(7L, byName.get("dev.goloom.Steal").getLong("count"));
            assertEquals("goloom", byName.get("dev.goloom.Steal").getEventType().getCategoryNames().get(0));
        }
    }
}
