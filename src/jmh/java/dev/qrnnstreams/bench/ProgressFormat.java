package dev.qrnnstreams.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * A JMH output format that keeps the console to one line per finished benchmark and sends JMH's own
 * verbose output (iterations, forked VM output, errors) to a log file.
 */
final class ProgressFormat implements OutputFormat {
    private final PrintStream console;
    private final PrintStream log;
    private final int total;
    private final long start = System.nanoTime();
    private int finished;

    /** A format for a suite of {@code total} benchmarks. */
    ProgressFormat(PrintStream console, PrintStream log, int total) {
        this.console = console;
        this.log = log;
        this.total = total;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        log.println("# " + label(params));
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        finished++;
        long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
        if (result == null) {
            console.printf("  [%2d/%d %3d s] failed (see the JMH log)%n", finished, total, elapsed);
            return;
        }
        Result<?> primary = result.getPrimaryResult();
        console.printf("  [%2d/%d %3d s] %-58s %,14.1f ops/s +- %3.0f%%%n", finished, total, elapsed,
                label(result.getParams()), primary.getScore(), 100 * primary.getScoreError() / primary.getScore());
        console.flush();
    }

    private static String label(BenchmarkParams params) {
        String name = params.getBenchmark();
        name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
        String values = params.getParamsKeys().stream().map(k -> k + "=" + params.getParam(k))
                .collect(Collectors.joining(" "));
        return name + " " + values;
    }

    @Override
    public void iteration(BenchmarkParams params, IterationParams iteration, int index) {
    }

    @Override
    public void iterationResult(BenchmarkParams params, IterationParams iteration, int index,
                                IterationResult result) {
        log.printf("  %s iteration %d: %s%n", iteration.getType(), index, result.getPrimaryResult());
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> results) {
    }

    @Override
    public void print(String text) {
        log.print(text);
    }

    @Override
    public void println(String text) {
        log.println(text);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public void close() {
        log.flush();
    }

    @Override
    public void verbosePrintln(String text) {
        log.println(text);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) {
        log.write(b, 0, b.length);
    }
}
