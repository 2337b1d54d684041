package dev.goloom.bench;

/**
 * The bridge from the JMH benchmarks ({@code dev.goloom.bench.{sched,chan,select,sync,context,
 * timer}}) to the scenario bodies the side-by-side table runs: one JMH invocation is one
 * repetition of the scenario on one runtime.
 */
public final class ScenarioBench {
    private ScenarioBench() {
    }

    /** Runs one repetition of scenario {@code id} on runtime {@code rt} (its key) at size n. */
    public static double[] once(String id, String rt, long n) throws Exception {
        Scenario s = Scenarios.byId(id);
        if (s == null) {
            throw new IllegalArgumentException("no scenario " + id);
        }
        Scenario.Impl impl = s.impl(Rt.parse(rt));
        if (!impl.present()) {
            throw new IllegalArgumentException(id + " on " + rt + ": " + impl.absent());
        }
        long rn = Math.max(1, Math.round(n * impl.nFactor()));
        return impl.body().run(new Scenario.Ctx(rn, 1, false, false));
    }
}
