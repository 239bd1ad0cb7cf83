package dev.qrnnstreams.bench;

import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite through JMH's {@link Runner} and prints one table of tokens per second,
 * the QRNN's rate as a fraction of this machine's sgemm rate measured in the same run, the speed
 * ratios to the two LSTMs, and the targets met or missed, followed by the bfloat16 state measurement.
 * The table is also written as markdown to {@code <outputDir>/benchmarks.md}.
 *
 * <p>Numbers are only reported, never asserted: the machine may be shared, which is why every target
 * is a ratio of rates measured in the same run.
 *
 * <p>Usage: {@code BenchmarkReport [outputDir [quick]]}. Each benchmark runs in one forked JVM with
 * this JVM's flags; {@code quick} shortens warmup and measurement to a smoke test.
 */
public final class BenchmarkReport {
    /** The QRNN's convolution window k in every benchmark. */
    static final int WINDOW = 2;
    /** The widths d = h every benchmark runs. */
    static final List<Integer> WIDTHS = List.of(256, 512);
    /** The shapes DL4J's LSTM runs (it is slow). */
    static final List<String> DL4J_SHAPES = List.of("1x8", "1x64", "8x64", "64x8");
    /** Set to warn here and in the forked JVMs, to keep ND4J's start-up banner out of the console. */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private final Map<String, Double> opsPerSecond = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final ChainedOptionsBuilder settings;
    private final PrintStream log;

    private BenchmarkReport(ChainedOptionsBuilder settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** Runs the suite; see the class documentation for the arguments. */
    public static void main(String[] args) throws IOException, RunnerException {
        System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        Path outputDir = Path.of(args.length > 0 ? args[0] : "target");
        boolean quick = List.of(args).subList(Math.min(1, args.length), args.length).contains("quick");
        Files.createDirectories(outputDir);
        long start = System.nanoTime();
        List<String> jvmArgs = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        jvmArgs.add("-D" + LOG_LEVEL_PROPERTY + "=warn");
        TimeValue warmup = quick ? TimeValue.milliseconds(200) : TimeValue.seconds(1);
        TimeValue measurement = quick ? TimeValue.milliseconds(300) : TimeValue.seconds(1);
        ChainedOptionsBuilder settings = new OptionsBuilder()
                .mode(Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .forks(1)
                .warmupIterations(quick ? 1 : 2).warmupTime(warmup)
                .measurementIterations(quick ? 1 : 3).measurementTime(measurement)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(false);
        Path logFile = outputDir.resolve("jmh.log");
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
            System.out.println("Benchmarks: each in one forked JVM with " + String.join(" ", jvmArgs)
                    + "; JMH output in " + logFile);
            BenchmarkReport report = new BenchmarkReport(settings, log);
            report.runAll();
            System.out.println("bfloat16 state measurement ...");
            StateCodecDrift drift = StateCodecDrift.measure();
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            String table = new ReportTable(report.opsPerSecond, drift, quick, seconds).render();
            System.out.println();
            System.out.println(table);
            if (!report.failures.isEmpty()) {
                System.out.println("Failed or missing: " + report.failures + " (see " + logFile + ")");
            }
            Files.writeString(outputDir.resolve("benchmarks.md"), table, StandardCharsets.UTF_8);
            System.out.println("Written to " + outputDir.resolve("benchmarks.md"));
        }
    }

    /** One JMH invocation: a benchmark class with some of its parameters fixed. */
    private record Batch(Class<?> benchmark, Map<String, List<String>> params, String key) {
        int runs() {
            return expectedRuns(benchmark, params);
        }
    }

    /**
     * Runs the benchmarks grouped by width and shape, so that the rates a ratio compares are measured
     * minutes apart at most, and the square sgemm at the start, middle and end of the run.
     */
    private void runAll() throws RunnerException {
        List<Batch> batches = new ArrayList<>();
        batches.add(square("SgemmStart"));
        for (int d : WIDTHS) {
            for (String shape : Shape.ALL) {
                Map<String, List<String>> params = Map.of("shape", List.of(shape), "d", List.of(Integer.toString(d)));
                batches.add(new Batch(QrnnBenchmark.class, params, "Qrnn"));
                batches.add(new Batch(LstmBenchmark.class, params, "Lstm"));
                if (DL4J_SHAPES.contains(shape)) {
                    batches.add(new Batch(Dl4jLstmBenchmark.class, params, "Dl4j"));
                }
                batches.add(new Batch(SgemmBenchmark.class, params, "Sgemm"));
            }
            batches.add(square(d == WIDTHS.get(0) ? "SgemmMiddle" : "SgemmEnd"));
        }
        ProgressFormat progress = new ProgressFormat(System.out, log,
                batches.stream().mapToInt(Batch::runs).sum());
        for (Batch batch : batches) {
            run(batch, progress);
        }
    }

    private static Batch square(String key) {
        return new Batch(SgemmBenchmark.class, Map.of("shape", List.of("square1024"), "d", List.of("256")), key);
    }

    private void run(Batch batch, ProgressFormat progress) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(settings.build())
                .include("^" + Pattern.quote(batch.benchmark().getName()) + "\\.");
        batch.params().forEach((name, values) -> options.param(name, values.toArray(String[]::new)));
        Collection<RunResult> results = new Runner(options.build(), progress).run();
        if (results.size() < batch.runs()) {
            failures.add(batch.benchmark().getSimpleName() + " " + batch.params() + ": "
                    + (batch.runs() - results.size()) + " of " + batch.runs());
        }
        for (RunResult result : results) {
            opsPerSecond.put(key(batch.key(), result.getParams()), result.getPrimaryResult().getScore());
        }
    }

    private static int expectedRuns(Class<?> benchmark, Map<String, List<String>> overrides) {
        int runs = 1;
        for (var field : benchmark.getFields()) {
            Param param = field.getAnnotation(Param.class);
            if (param != null) {
                runs *= overrides.containsKey(field.getName()) ? overrides.get(field.getName()).size()
                        : param.value().length;
            }
        }
        return runs;
    }

    private static String key(String prefix, BenchmarkParams params) {
        StringBuilder key = new StringBuilder(prefix);
        for (String name : List.of("backend", "shape", "d")) {
            if (params.getParamsKeys().contains(name)) {
                key.append('|').append(params.getParam(name));
            }
        }
        return key.toString();
    }

    /** The lookup key of a result, matching {@link #key(String, BenchmarkParams)}. */
    static String key(String prefix, String... params) {
        return prefix + (params.length == 0 ? "" : "|" + String.join("|", params));
    }

    /** The path {@link AdaptiveBackend#cpu()} takes for a batch of {@code tokens} timesteps, by its rule. */
    static String adaptivePath(int tokens) {
        return tokens < AdaptiveBackend.DEFAULT_CPU_THRESHOLD ? "vector" : "nd4j";
    }

    /** Flops per token of the QRNN's convolution: {@code 2 * (k * d) * (3h)} with h = d. */
    static double qrnnFlopsPerToken(int d) {
        return 2.0 * WINDOW * d * 3 * d;
    }
}
