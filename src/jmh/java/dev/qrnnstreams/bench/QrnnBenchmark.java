package dev.qrnnstreams.bench;

import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One QRNN layer (fo-pooling, window k = 2, d = h) stepping {@code batch} sequences by {@code chunk}
 * tokens per call, each resumed from the state its previous call returned: the streaming case. One
 * operation is one {@link QrnnBackend#step} over the whole batch, i.e. {@code batch * chunk} tokens.
 *
 * <p>{@code backend}: {@code adaptive} is {@link AdaptiveBackend#cpu()}, the entry point the service
 * uses; {@code vector} and {@code nd4j} are its two paths on their own.
 */
@State(Scope.Benchmark)
public class QrnnBenchmark {
    @Param({"adaptive", "vector", "nd4j"})
    public String backend;

    @Param({"1x1", "1x8", "1x64", "8x64", "64x8", "256x8", "8x512"})
    public String shape;

    @Param({"256", "512"})
    public int d;

    private QrnnBackend qrnn;
    private QrnnStack stack;
    private List<float[]> chunks;
    private List<QrnnState> states;

    /** The layer, the inputs and the zero states, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        Shape s = Shape.parse(shape);
        stack = QrnnStack.glorotUniform(layerSpec(d), random);
        chunks = s.randomChunks(d, random);
        states = new ArrayList<>(Collections.nCopies(s.batch(), QrnnState.initial(stack)));
        qrnn = switch (backend) {
            case "adaptive" -> AdaptiveBackend.cpu();
            case "vector" -> CpuBackend.vectorised();
            case "nd4j" -> CpuBackend.nd4jGemm();
            default -> throw new IllegalArgumentException("unknown backend " + backend);
        };
    }

    /** The benchmarked configuration: one fo layer, k = 2, d = h. */
    static QrnnStackSpec layerSpec(int d) {
        return QrnnStackSpec.builder().inputSize(d).hiddenSize(d).layers(1).window(2).pooling(Pooling.FO).build();
    }

    /** One step of every sequence; the states are carried to the next call. */
    @Benchmark
    public List<StepResult> step() {
        List<StepResult> results = qrnn.step(stack, states, chunks);
        for (int b = 0; b < results.size(); b++) {
            states.set(b, results.get(b).state());
        }
        return results;
    }

    /** Frees the backend's native buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        qrnn.close();
    }
}
