package dev.qrnnstreams.bench;

import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.nn.QrnnStateCodec.Precision;
import dev.qrnnstreams.nn.StepResult;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What storing the per-key state in bfloat16 costs in accuracy: one long random sequence is streamed
 * in chunks twice, once carrying the float32 state and once decoding the state from its bfloat16
 * encoding at every chunk boundary (as a state store would), and the outputs are compared.
 *
 * @param tokens sequence length
 * @param chunk tokens per step
 * @param spec the stack
 * @param maxAbs largest absolute output difference
 * @param relativeMax {@code maxAbs} over the largest absolute float32 output
 * @param relativeL2 {@code ||bf16 - f32||_2 / ||f32||_2} over all outputs
 * @param maxAbsLast100 largest absolute difference over the last 100 tokens
 * @param float32Bytes encoded state size per key in float32
 * @param bfloat16Bytes encoded state size per key in bfloat16
 */
record StateCodecDrift(int tokens, int chunk, QrnnStackSpec spec, double maxAbs, double relativeMax,
                       double relativeL2, double maxAbsLast100, int float32Bytes, int bfloat16Bytes) {

    /** The measurement of the report: 2,000 tokens, d = h = 256, four dense fo layers, chunks of 8. */
    static StateCodecDrift measure() {
        return measure(2_000, 8, QrnnStackSpec.builder().inputSize(256).hiddenSize(256).layers(4).window(2)
                .pooling(Pooling.FO).dense(true).build());
    }

    static StateCodecDrift measure(int tokens, int chunk, QrnnStackSpec spec) {
        SplittableRandom random = new SplittableRandom(7);
        QrnnStack stack = QrnnStack.glorotUniform(spec, random);
        float[] sequence = Shape.randomValues(tokens * spec.inputSize(), random);
        QrnnStateCodec float32 = new QrnnStateCodec(Precision.FLOAT32);
        QrnnStateCodec bfloat16 = new QrnnStateCodec(Precision.BFLOAT16);
        int out = spec.hiddenSize();
        float[] exact = new float[tokens * out];
        float[] rounded = new float[tokens * out];
        QrnnState exactState = QrnnState.initial(stack);
        QrnnState roundedState = exactState;
        try (QrnnBackend backend = AdaptiveBackend.cpu()) {
            for (int t = 0; t < tokens; t += chunk) {
                int n = Math.min(chunk, tokens - t);
                float[] input = Arrays.copyOfRange(sequence, t * spec.inputSize(), (t + n) * spec.inputSize());
                StepResult a = backend.step(stack, exactState, input);
                StepResult b = backend.step(stack, roundedState, input);
                System.arraycopy(a.outputs(), 0, exact, t * out, n * out);
                System.arraycopy(b.outputs(), 0, rounded, t * out, n * out);
                exactState = a.state();
                roundedState = QrnnStateCodec.decode(bfloat16.encode(b.state()));
            }
        }
        double maxAbs = 0;
        double maxAbsLast100 = 0;
        double maxExact = 0;
        double squaredError = 0;
        double squaredNorm = 0;
        for (int i = 0; i < exact.length; i++) {
            double difference = Math.abs((double) rounded[i] - exact[i]);
            maxAbs = Math.max(maxAbs, difference);
            if (i >= (tokens - 100) * out) {
                maxAbsLast100 = Math.max(maxAbsLast100, difference);
            }
            maxExact = Math.max(maxExact, Math.abs(exact[i]));
            squaredError += difference * difference;
            squaredNorm += (double) exact[i] * exact[i];
        }
        return new StateCodecDrift(tokens, chunk, spec, maxAbs, maxAbs / maxExact,
                Math.sqrt(squaredError / squaredNorm), maxAbsLast100,
                float32.encodedSize(exactState), bfloat16.encodedSize(exactState));
    }
}
