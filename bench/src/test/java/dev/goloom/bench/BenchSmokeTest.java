package dev.goloom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Smoke test of the benchmark module (CI never runs the benchmarks themselves): every JVM side of
 * every scenario runs once, in this JVM, at a tiny size, and must return a sane figure per metric;
 * plus the harness's parsing and report pieces. A few seconds in all.
 */
class BenchSmokeTest {
    /** Sizes are the quick ones times this: spawn 200, skynet 1,000 leaves, 40 HTTP requests... */
    static final double TINY = 0.001;

    @TestFactory
    Stream<DynamicTest> everyScenarioRunsOnceAtATinySize() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            for (Rt rt : Rt.values()) {
                if (rt == Rt.GO || !s.impl(rt).present()) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(s.id + " on " + rt.key, () -> {
                    Scenario.Impl impl = s.impl(rt);
                    long n = Math.max(1, Math.round(s.size(true, TINY) * impl.nFactor()));
                    double[] v = impl.body().run(new Scenario.Ctx(n, 0, false, true));
                    assertEquals(s.metrics().size(), v.length, "one value per metric");
                    for (int i = 0; i < v.length; i++) {
                        Scenario.Metric m = s.metrics().get(i);
                        if (!m.unit().equals("B")) { // memory deltas at tiny sizes are noise, maybe negative
                            assertTrue(v[i] > 0 && Double.isFinite(v[i]), m.name() + " = " + v[i]);
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void everyScenarioHasEveryColumnDeclared() {
        for (Scenario s : Scenarios.all()) {
            assertFalse(s.metrics().isEmpty(), s.id);
            assertNotNull(s.goSpec(), s.id + " has a Go program");
            for (Rt rt : Rt.values()) {
                if (rt != Rt.GO) {
                    Scenario.Impl i = s.impl(rt);
                    assertTrue(i.present() || i.absent().startsWith("n/a"), s.id + "/" + rt.key + ": " + i.absent());
                }
            }
            assertTrue(s.impl(Rt.GOLOOM).present(), s.id + " runs on goloom");
        }
    }

    /** --runtimes without go: the report's header says so (it threw NullPointerException). */
    @Test
    void goVersionWhenGoWasNotAskedFor() {
        assertEquals("not run", new GoSide(java.nio.file.Path.of("."), java.nio.file.Path.of("target")).version());
    }

    @Test
    void parsesTheAnchorsOutput() {
        Map<String, Stats> m = GoSide.parse(List.of(
                "# spawn: go1.19.8 GOMAXPROCS=2 NumCPU=2 warmup=1 reps=3",
                "spawn.spawn: 412.5 ns/goroutine (min 400.1 max 450.0 n=3)",
                "spawn.rss_per_blocked: 2716 B/goroutine"));
        assertEquals(412.5, m.get("spawn.spawn").median());
        assertEquals(400.1, m.get("spawn.spawn").min());
        assertEquals(450.0, m.get("spawn.spawn").max());
        assertEquals(3, m.get("spawn.spawn").n());
        assertEquals(2716, m.get("spawn.rss_per_blocked").median());
        assertEquals(2, m.size());
    }

    @Test
    void statsAndFormatting() {
        Stats s = Stats.of(5, 1, 3, Double.NaN, 2, 4);
        assertEquals(3, s.median());
        assertEquals(5, s.n());
        assertEquals(Stats.parseWire(s.wire().split(" "), 0), s);
        Stats c = Stats.combine(List.of(Stats.of(1, 2, 3), Stats.of(5, 6, 7)));
        assertEquals(4, c.median());
        assertEquals(1, c.min());
        assertEquals(7, c.max());
        assertEquals("12,346", Report.fmt(12345.6));
        assertEquals("1.23", Report.fmt(1.234));
        assertEquals("0.50x", Report.ratio(0.5));
        assertEquals("n/a (no such construct)", Report.cell(null, Scenario.NA));
        String t = Report.textTable("x", new String[] {"a", "b"}, new String[] {"row"}, new String[][] {{"1", "22"}});
        assertTrue(t.contains("row | 1 | 22"), t);
        assertEquals(1000, Scenarios.byId("skynet").size(false, 0.005));
    }

    @Test
    void theRatioChartIsWellFormedSvg() throws Exception {
        String svg = Report.svg("t <&>", List.of(new Report.Bar("a", 0.5, 2), new Report.Bar("b", Double.NaN, 40)));
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
    }
}
