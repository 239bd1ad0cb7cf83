package dev.qrnnstreams.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The machine's plain {@code Nd4j.gemm} (OpenBLAS sgemm, all its threads) into preallocated
 * operands: the ceiling the QRNN's projection is measured against. One operation is one
 * {@code C = A B} with A {@code m x k} and B {@code k x n}, {@code 2 m k n} flops.
 *
 * <p>{@code shape}: {@code "square1024"}, or a QRNN benchmark shape with {@code d}, meaning the
 * layer's own product {@code [batch * chunk, 2d] x [2d, 3d]}.
 */
@State(Scope.Benchmark)
public class SgemmBenchmark {
    @Param({"square1024", "1x1", "1x8", "1x64", "8x64", "64x8", "256x8", "8x512"})
    public String shape;

    @Param({"256", "512"})
    public int d;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    /** The operands, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        long[] mkn = dimensions(shape, d);
        Nd4j.getRandom().setSeed(42);
        a = Nd4j.rand(DataType.FLOAT, mkn[0], mkn[1]);
        b = Nd4j.rand(DataType.FLOAT, mkn[1], mkn[2]);
        c = Nd4j.create(DataType.FLOAT, mkn[0], mkn[2]);
    }

    /** {@code {m, k, n}} of the product a shape stands for. */
    static long[] dimensions(String shape, int d) {
        if (shape.startsWith("square")) {
            long n = Long.parseLong(shape.substring("square".length()));
            return new long[] {n, n, n};
        }
        return new long[] {Shape.parse(shape).tokens(), 2L * d, 3L * d};
    }

    /** Flops of one product: {@code 2 m k n}. */
    static double flops(String shape, int d) {
        long[] mkn = dimensions(shape, d);
        return 2.0 * mkn[0] * mkn[1] * mkn[2];
    }

    /** One product. */
    @Benchmark
    public INDArray gemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
