package dev.qrnnstreams.bench;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.cuda.CudaBackend;
import dev.qrnnstreams.nn.cuda.CudaUnavailableException;
import dev.qrnnstreams.nn.cuda.DeviceBenchmarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The GPU benchmark, in one run on one device: streaming QRNN tokens/s of {@link CudaBackend} for batch x
 * chunk from 1x1 to 4096x64, with the cuBLAS sgemm rate and the device-to-device copy bandwidth measured
 * in the same run, the pooling kernel's own bandwidth as a fraction of the copy's, and the CPU batched
 * path ({@link CpuBackend#vectorised()}, what {@code AdaptiveBackend.cpu()} runs at that size) at
 * 1024x8 for the GPU/CPU ratio. Prints a Markdown report and writes it to
 * {@code <output dir>/gpu-benchmarks.md}.
 *
 * <p>Configuration as in the CPU table of {@code BENCHMARKS.md}: one layer, fo-pooling, k = 2,
 * d = h = 256, inputs uniform in [-1, 1); every call resumes each key from the state its previous call
 * returned. A step returns only after its outputs and states are back on the host, so wall time per step
 * is the end-to-end cost, transfers and host gather/scatter included.
 *
 * <p>Usage: {@code GpuBenchmark [output dir] [quick]}; exit status 2 when CUDA cannot run.
 */
public final class GpuBenchmark {
    private static final int WIDTH = 256;
    private static final int[] BATCHES = {1, 8, 64, 256, 1024, 4096};
    private static final int[] CHUNKS = {1, 8, 64};
    private static final Shape CPU_SHAPE = new Shape(1024, 8);
    private static final double TOKENS_TARGET = 10.0;
    private static final double POOLING_TARGET = 0.60;

    private GpuBenchmark() {
    }

    /** Runs the benchmark; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        Path output = Path.of(args.length > 0 ? args[0] : ".");
        boolean quick = args.length > 1 && "quick".equals(args[1]);
        double seconds = quick ? 0.3 : 2.0;
        CudaBackend cuda;
        try {
            cuda = CudaBackend.open();
        } catch (CudaUnavailableException e) {
            System.err.println("GPU benchmark: CUDA cannot run here: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<String> report = new ArrayList<>();
        try (cuda) {
            QrnnStack stack = QrnnStack.glorotUniform(QrnnStackSpec.builder().inputSize(WIDTH).hiddenSize(WIDTH)
                    .layers(1).window(2).pooling(Pooling.FO).build(), new SplittableRandom(1));
            report.add("# GPU benchmark");
            report.add("");
            report.add("- " + DeviceBenchmarks.platform(cuda));
            report.add("- host: " + Machine.describe());
            double sgemm = DeviceBenchmarks.sgemmGflops(cuda, 4096, quick ? 5 : 20);
            double copy = DeviceBenchmarks.copyGigabytesPerSecond(cuda, 1L << 30, quick ? 5 : 20);
            report.add(format("- cuBLAS sgemm 4096^3 (FP32, no TF32): %.0f GFLOP/s", sgemm));
            report.add(format("- device-to-device copy of 1 GiB: %.0f GB/s (bytes read + written)", copy));
            report.add("- QRNN: 1 layer, fo-pooling, k = 2, d = h = 256; tokens/s end to end (host gather, "
                    + "upload, device, download, scatter)");
            report.add("");
            report.add("| batch x chunk | tokens/s | ms per step | QRNN GFLOP/s | % of sgemm | pooling kernel GB/s "
                    + "| pooling % of copy |");
            report.add("|---|---:|---:|---:|---:|---:|---:|");
            double flopsPerToken = 2.0 * 2 * WIDTH * 3 * WIDTH;
            double gpuAtCpuShape = 0;
            double poolingLargest = 0;
            for (int batch : BATCHES) {
                for (int chunk : CHUNKS) {
                    Shape shape = new Shape(batch, chunk);
                    double tokensPerSecond = tokensPerSecond(cuda, stack, shape, seconds);
                    DeviceBenchmarks.PoolingRate pooling = DeviceBenchmarks.pooling(cuda, Pooling.FO, batch, chunk,
                            WIDTH, quick ? 3 : 10);
                    if (shape.equals(CPU_SHAPE)) {
                        gpuAtCpuShape = tokensPerSecond;
                    }
                    poolingLargest = pooling.gigabytesPerSecond();
                    double gflops = tokensPerSecond * flopsPerToken / 1e9;
                    String row = format("| %dx%d | %s | %.3f | %.1f | %.1f%% | %.0f | %.1f%% |", batch, chunk,
                            ReportTable.rate(tokensPerSecond), 1e3 * shape.tokens() / tokensPerSecond, gflops,
                            100 * gflops / sgemm, pooling.gigabytesPerSecond(),
                            100 * pooling.gigabytesPerSecond() / copy);
                    report.add(row);
                    System.out.println(row);
                }
            }
            double cpu;
            try (QrnnBackend backend = CpuBackend.vectorised()) {
                cpu = tokensPerSecond(backend, stack, CPU_SHAPE, seconds);
            }
            report.add("");
            report.add(format("- CPU batched path (cpu-vector) at 1024x8: %s tokens/s; GPU / CPU = %.1fx "
                            + "(target %.0fx: %s)", ReportTable.rate(cpu), gpuAtCpuShape / cpu, TOKENS_TARGET,
                    gpuAtCpuShape / cpu >= TOKENS_TARGET ? "met" : "missed"));
            report.add(format("- pooling kernel at 4096x64: %.1f%% of copy bandwidth (target %.0f%%: %s)",
                    100 * poolingLargest / copy, 100 * POOLING_TARGET,
                    poolingLargest / copy >= POOLING_TARGET ? "met" : "missed"));
        }
        String text = String.join("\n", report) + "\n";
        System.out.println();
        System.out.print(text);
        Files.createDirectories(output);
        Files.writeString(output.resolve("gpu-benchmarks.md"), text);
    }

    /** Streaming tokens/s: every call resumes each key from the previous call's state. */
    private static double tokensPerSecond(QrnnBackend backend, QrnnStack stack, Shape shape, double seconds) {
        List<float[]> chunks = shape.randomChunks(WIDTH, new SplittableRandom(shape.tokens()));
        List<QrnnState> states = new ArrayList<>();
        for (int b = 0; b < shape.batch(); b++) {
            states.add(QrnnState.initial(stack));
        }
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            states = next(backend.step(stack, states, chunks));
        }
        long start = System.nanoTime();
        long steps = 0;
        long elapsed;
        do {
            states = next(backend.step(stack, states, chunks));
            steps++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < seconds * 1e9 || steps < 3);
        return steps * shape.tokens() / (elapsed / 1e9);
    }

    private static List<QrnnState> next(List<StepResult> results) {
        return results.stream().map(StepResult::state).toList();
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
