package dev.qrnnstreams.bench;

import dev.qrnnstreams.nn.cpu.LstmBaseline;
import dev.qrnnstreams.nn.cpu.LstmLayer;
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
 * The LSTM baseline ({@link LstmBaseline#cpu()}, d = h) on the same shapes as {@link QrnnBenchmark}:
 * one operation runs {@code batch} sequences of {@code chunk} tokens from the zero state.
 */
@State(Scope.Benchmark)
public class LstmBenchmark {
    @Param({"1x1", "1x8", "1x64", "8x64", "64x8", "256x8", "8x512"})
    public String shape;

    @Param({"256", "512"})
    public int d;

    private LstmBaseline lstm;
    private LstmLayer layer;
    private List<float[]> chunks;

    /** The layer and the inputs, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        layer = LstmLayer.glorotUniform(d, d, random);
        chunks = Shape.parse(shape).randomChunks(d, random);
        lstm = LstmBaseline.cpu();
    }

    /** One forward pass over the batch. */
    @Benchmark
    public List<float[]> forward() {
        return lstm.run(layer, chunks);
    }

    /** Frees the native buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        lstm.close();
    }
}
