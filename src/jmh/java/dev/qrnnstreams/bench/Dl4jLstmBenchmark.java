package dev.qrnnstreams.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
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
 * DL4J's own LSTM layer ({@code org.deeplearning4j.nn.conf.layers.LSTM}, float, d = h) alone in a
 * {@link MultiLayerNetwork}: one operation is {@code output()} over a {@code [batch, d, chunk]}
 * input. It is slow, so it runs only the shapes that matter for the comparison.
 */
@State(Scope.Benchmark)
public class Dl4jLstmBenchmark {
    @Param({"1x8", "1x64", "8x64", "64x8"})
    public String shape;

    @Param({"256", "512"})
    public int d;

    private MultiLayerNetwork network;
    private INDArray input;

    /** The network and the input, once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        Shape s = Shape.parse(shape);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nIn(d).nOut(d).activation(Activation.TANH).build())
                .build();
        network = new MultiLayerNetwork(conf);
        network.init();
        Nd4j.getRandom().setSeed(42);
        input = Nd4j.rand(DataType.FLOAT, s.batch(), d, s.chunk()).subi(0.5).muli(2);
    }

    /** One inference pass over the batch. */
    @Benchmark
    public INDArray output() {
        return network.output(input);
    }

    /** Frees the input. */
    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
    }
}
