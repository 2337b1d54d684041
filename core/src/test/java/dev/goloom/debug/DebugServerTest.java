package dev.goloom.debug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goloom.GoRuntime;
import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.Park;
import dev.goloom.internal.sched.WaitReason;
import dev.goloom.internal.trace.RuntimeHooks;
import dev.goloom.internal.trace.Trace;
import dev.goloom.internal.trace.TraceData;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /debug/goloom endpoint and the Scheduler MXBean. */
class DebugServerTest {
    @TempDir
    Path dir;

    @Test
    void endpointsAnswer() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("http").maxProcs(2).build();
             DebugServer srv = DebugServer.start(rt, 0)) {
            Object http = null;
            assertTrue(srv.address().getAddress().isLoopbackAddress(), "loopback by default");
            AtomicBoolean release = new AtomicBoolean();
            CountDownLatch parked = new CountDownLatch(3);
            G[] gs = new G[3];
            for (int i = 0; i < 3; i++) {
                gs[i] = (G) rt.go("w" + i, () -> DumpsTest.parkUntil(release, WaitReason.CHAN_SEND, parked));
            }
            try {
                parked.await();
                DumpsTest.waitParked(rt, gs[0].id(), gs[1].id(), gs[2].id());
                String base = "http://127.0.0.1:" + srv.address().getPort() + "/debug/goloom/";
                Resp r1 = get(http, base + "goroutines?debug=1");
                assertEquals(200, r1.statusCode());
                assertTrue(r1.body().startsWith("goroutine profile: total 3\n"), r1.body());
                assertTrue(r1.body().contains("@ [chan send]"), r1.body());

                Resp r2 = get(http, base + "goroutines?debug=2");
                assertTrue(r2.body().contains("goroutine " + gs[1].id() + " [chan send]:\n"), r2.body());

                Resp s = get(http, base + "sched");
                assertTrue(s.body().startsWith("SCHED: gomaxprocs=2 "), s.body());
                Resp j = get(http, base + "sched?json=1");
                assertTrue(j.body().contains("\"maxProcs\":2") && j.body().contains("\"goroutines\":3"), j.body());
                assertEquals("application/json", j.type());

                assertEquals(200, get(http, base).statusCode());
                assertEquals(404, get(http, base + "nope").statusCode());
                assertEquals(400, get(http, base + "trace?seconds=x").statusCode());
                assertTrue(get(http, base + "deadlocks").body().startsWith("no partial deadlock"));
                // the three are parked, but the test holds their handles: reachable, not leaked
                String leaks = get(http, base + "goroutineleak").body();
                assertTrue(leaks.startsWith("no leaked goroutine"), leaks);
            } finally {
                release.set(true);
                for (G g : gs) {
                    Park.ready(g.thread());
                }
            }
        }
    }

    @Test
    void traceEndpointReturnsATraceFile() throws Exception {
        try (GoRuntime rt = GoRuntime.builder().name("http-trace").build();
             DebugServer srv = DebugServer.start(rt, 0)) {
            Object http = null;
            String url = "http://127.0.0.1:" + srv.address().getPort() + "/debug/goloom/trace?seconds=0.3";
            var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return get(null, url);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Trace.on && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Trace.emit(Trace.GO_START, 0, 42, 0);    // an event while the endpoint records
            Resp r = pending.get();
            assertEquals(200, r.statusCode());
            Path f = dir.resolve("from-http.trace");
            Files.write(f, r.bytes());
            TraceData d = TraceData.read(f);
            assertTrue(d.events().stream().anyMatch(e -> e.goid() == 42 && e.kind() == Trace.GO_START));
        }
    }

    @Test
    void schedulerMXBeanIsRegisteredAndUnregistered() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName n = new ObjectName("dev.goloom:type=Scheduler,name=\"jmx-test\"");
        try (GoRuntime rt = GoRuntime.builder().name("jmx-test").maxProcs(3).build()) {
            RuntimeHooks.awaitJmx();
            assertTrue(mbs.isRegistered(n));
            assertEquals(3, mbs.getAttribute(n, "MaxProcs"));
            assertEquals("jmx-test", mbs.getAttribute(n, "Name"));
            assertArrayEquals(new int[3], (int[]) mbs.getAttribute(n, "LocalRunQueues"));
            assertTrue(mbs.invoke(n, "dumpGoroutines", null, null) instanceof String);
            SchedulerMXBean proxy = javax.management.JMX.newMXBeanProxy(mbs, n, SchedulerMXBean.class);
            assertEquals(0, proxy.getGoroutines());
        }
        RuntimeHooks.awaitJmx();
        assertTrue(!mbs.isRegistered(n), "unregistered on close");
    }

    @Test
    void addressesParse() {
        assertTrue(RuntimeHooks.parseAddr(":6060").getAddress().isLoopbackAddress());
        assertEquals(6061, RuntimeHooks.parseAddr("127.0.0.1:6061").getPort());
        assertTrue(RuntimeHooks.parseAddr("6062").getAddress().isLoopbackAddress());
    }

    record Resp(int statusCode, byte[] bytes, String type) {
        String body() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Resp get(Object unused, String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            int code = c.getResponseCode();
            var in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] b = in == null ? new byte[0] : in.readAllBytes();
            return new Resp(code, b, c.getContentType());
        } finally {
            c.disconnect();
        }
    }
}
