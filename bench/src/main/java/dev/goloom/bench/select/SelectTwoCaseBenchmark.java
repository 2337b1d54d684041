package dev.goloom.bench.select;

import dev.goloom.bench.ScenarioBench;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: a 2-case select receiving n values that one sender alternates between two channels (unbuffered, then capacity 128), on each runtime of {@code _0_runtime} (goloom, the JDK's default virtual-thread
 * scheduler "vt", platform threads "pt", Kotlin coroutines, jox), scenario {@code select} of the
 * side-by-side table ({@code ./goloom bench --all}). One invocation is one whole repetition of
 * the scenario at size {@code _1_n}; the score is its wall time.
 *
 * <p>Run it with:
 * {@snippet lang="shell" :
 * ./goloom bench --jmh SelectTwoCaseBenchmark
 * }
 * or from the shaded jar ({@code ./goloom mvn -pl bench -am package -Pjmh-jar -DskipTests}):
 * {@code java --add-opens java.base/java.lang=ALL-UNNAMED -jar bench/target/benchmarks.jar SelectTwoCaseBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.lang=ALL-UNNAMED", "-Djdk.pollerMode=1", "-XX:+UseParallelGC"})
public class SelectTwoCaseBenchmark {
    /** The runtime: goloom, vt, pt, kotlin or jox (those that have the construct). */
    @Param({"goloom", "kotlin", "jox"})
    public String _0_runtime;

    /** The scenario's size. */
    @Param("200000")
    public long _1_n;

    @Benchmark
    public double[] run() throws Exception {
        return ScenarioBench.once("select", _0_runtime, _1_n);
    }
}
