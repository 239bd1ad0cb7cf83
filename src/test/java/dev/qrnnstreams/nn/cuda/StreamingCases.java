package dev.qrnnstreams.nn.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.nn.Float64Qrnn;
import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random streaming workloads for the batched backends: several keys, each with its own sequence and its
 * own random split into chunks, advanced together in rounds (round i steps every key by its i-th chunk,
 * an empty one once its split is used up), so that one batch mixes keys at different positions and
 * chunk lengths, including empty chunks.
 *
 * @param stack the parameters
 * @param sequences one sequence per key, {@code T_k x inputSize}
 * @param splits one split per key, summing to its sequence's length
 */
record StreamingCases(QrnnStack stack, List<float[]> sequences, List<List<Integer>> splits) {
    /** Normwise relative tolerance, as in the core's property test (IncrementalStepPropertyTest). */
    static final double RTOL = 1e-5;

    /**
     * A random case drawn like the core's property test: every pooling (chosen per layer), window 1 to 4,
     * 1 to 4 layers, dense or not, zoneout 0, 0.25 or 0.6, input 1..24 and hidden 1..40 wide, up to 40
     * timesteps per key, and 1 to {@code maxKeys} keys.
     */
    static StreamingCases random(Random random, int maxKeys) {
        int layers = 1 + random.nextInt(4);
        int inputSize = 1 + random.nextInt(24);
        QrnnStackSpec.Builder builder = QrnnStackSpec.builder()
                .inputSize(inputSize).hiddenSize(1 + random.nextInt(40)).layers(layers)
                .window(1 + random.nextInt(4)).dense(random.nextBoolean())
                .zoneout(new double[] {0.0, 0.25, 0.6}[random.nextInt(3)]);
        for (int l = 0; l < layers; l++) {
            builder.pooling(l, Pooling.values()[random.nextInt(Pooling.values().length)]);
        }
        QrnnStack stack = QrnnTestSupport.randomStack(builder.build(), random);
        return randomInputs(stack, 1 + random.nextInt(maxKeys), 40, random);
    }

    /** {@code keys} random sequences of up to {@code maxSteps} timesteps for {@code stack}, randomly split. */
    static StreamingCases randomInputs(QrnnStack stack, int keys, int maxSteps, Random random) {
        List<float[]> sequences = new ArrayList<>();
        List<List<Integer>> splits = new ArrayList<>();
        for (int key = 0; key < keys; key++) {
            int steps = random.nextInt(maxSteps + 1);
            sequences.add(QrnnTestSupport.randomInputs(steps, stack.inputSize(), random));
            splits.add(QrnnTestSupport.randomSplit(steps, random));
        }
        return new StreamingCases(stack, sequences, splits);
    }

    /** Runs the rounds on {@code backend}; per key, the concatenated outputs and the final state. */
    List<StepResult> run(QrnnBackend backend) {
        int keys = sequences.size();
        int rounds = splits.stream().mapToInt(List::size).max().orElse(0);
        List<QrnnState> states = new ArrayList<>();
        int[] consumed = new int[keys];
        float[][] outputs = new float[keys][];
        for (int key = 0; key < keys; key++) {
            states.add(QrnnState.initial(stack));
            outputs[key] = new float[sequences.get(key).length / stack.inputSize() * stack.outputSize()];
        }
        for (int round = 0; round < rounds; round++) {
            List<float[]> chunks = new ArrayList<>();
            for (int key = 0; key < keys; key++) {
                List<Integer> split = splits.get(key);
                int length = round < split.size() ? split.get(round) : 0;
                int from = consumed[key] * stack.inputSize();
                chunks.add(Arrays.copyOfRange(sequences.get(key), from, from + length * stack.inputSize()));
            }
            List<StepResult> results = backend.step(stack, states, chunks);
            assertThat(results).as("one result per key").hasSize(keys);
            for (int key = 0; key < keys; key++) {
                StepResult result = results.get(key);
                int length = chunks.get(key).length / stack.inputSize();
                assertThat(result.timesteps()).as("timesteps of key " + key).isEqualTo(length);
                System.arraycopy(result.outputs(), 0, outputs[key], consumed[key] * stack.outputSize(),
                        result.outputs().length);
                consumed[key] += length;
                states.set(key, result.state());
            }
        }
        List<StepResult> finals = new ArrayList<>();
        for (int key = 0; key < keys; key++) {
            finals.add(new StepResult(outputs[key], consumed[key], states.get(key)));
        }
        return finals;
    }

    /** Runs the rounds on {@code backend} and checks every key's outputs and final state against float64. */
    void assertMatchesFloat64(String what, QrnnBackend backend) {
        List<StepResult> results = run(backend);
        for (int key = 0; key < sequences.size(); key++) {
            Float64Qrnn.Result reference = Float64Qrnn.run(stack, Float64Qrnn.rows(sequences.get(key),
                    stack.inputSize()));
            String name = what + ", key " + key + " split " + splits.get(key) + ", " + stack.spec();
            NumericAssertions.assertClose(name + ": outputs vs float64", results.get(key).outputs(),
                    reference.outputs(), RTOL);
            QrnnTestSupport.assertStateClose(name + ": state vs float64", results.get(key).state(), reference, RTOL);
        }
    }
}
