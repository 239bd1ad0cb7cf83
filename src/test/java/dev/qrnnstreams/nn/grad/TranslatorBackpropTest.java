package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.translate.OutputLayer;
import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorDecoder;
import dev.qrnnstreams.nn.translate.TranslatorMemory;
import dev.qrnnstreams.nn.translate.TranslatorSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Checks the translator's teacher-forced forward pass against the float64 reference
 * ({@link Float64Translator}), its hand-written backward pass against central finite differences of
 * that reference for every parameter tensor, and the token-at-a-time decoder against the teacher-forced
 * pass.
 */
class TranslatorBackpropTest {
    private static final int[] SOURCE = {4, 6, 5, 4, 3};
    private static final int[] TARGET_INPUT = {2, 5, 7, 4};
    private static final int[] LABELS = {5, 7, 4, 3};

    private static TranslatorSpec spec(int window, double zoneout) {
        return new TranslatorSpec(7, 8, 4, 5, 2, window, zoneout, 0.0);
    }

    private static QrnnTranslator translator(TranslatorSpec spec, long seed) {
        QrnnTranslator initial = QrnnTranslator.initial(spec, new SplittableRandom(seed));
        Random random = new Random(seed);
        Map<String, float[]> tensors = initial.tensors();
        tensors.replaceAll((name, values) -> {
            float[] moved = values.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += (float) (random.nextGaussian() * (name.endsWith("embedding") ? 0.5 : 0.3));
            }
            return moved;
        });
        return new QrnnTranslator(spec, tensors);
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 2, 3})
    void shouldMatchTheFloat64ReferenceForward(int window) {
        TranslatorSpec spec = spec(window, 0.25);
        QrnnTranslator translator = translator(spec, window);
        TranslatorBackprop.Tape tape = TranslatorBackprop.forward(translator, SOURCE, TARGET_INPUT, null);
        float[] logits = OutputLayer.logits(translator, tape.outputs(), TARGET_INPUT.length);
        double[][] expected = Float64Translator.logits(spec, Float64Translator.tensors(translator), SOURCE,
                TARGET_INPUT);
        NumericAssertions.assertClose("logits", logits, expected, 1e-5);
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 2})
    void shouldMatchFiniteDifferencesOfTheFloat64LossForEveryTensor(int window) {
        TranslatorSpec spec = spec(window, 0.2);
        QrnnTranslator translator = translator(spec, 10 + window);
        TranslatorGradients gradients = gradientsOfMeanCrossEntropy(translator);
        Map<String, double[]> reference = Float64Translator.tensors(translator);
        for (String name : spec.tensorShapes().keySet()) {
            double[] values = reference.get(name);
            float[] analytic = gradients.tensor(name);
            int stride = Math.max(1, values.length / 23);
            for (int i = 0; i < values.length; i += stride) {
                int index = i;
                double original = values[i];
                double numeric = FiniteDifferences.derivative(value -> {
                    values[index] = value;
                    double loss = Float64Translator.loss(spec, reference, SOURCE, TARGET_INPUT, LABELS, 0.0);
                    values[index] = original;
                    return loss;
                }, (float) original);
                FiniteDifferences.assertGradient(name + "[" + i + "]", analytic[i], numeric);
            }
        }
    }

    /** Mean cross-entropy over the target positions through the production backward pass. */
    private static TranslatorGradients gradientsOfMeanCrossEntropy(QrnnTranslator translator) {
        int t = TARGET_INPUT.length;
        int v = translator.spec().targetVocabularySize();
        TranslatorBackprop.Tape tape = TranslatorBackprop.forward(translator, SOURCE, TARGET_INPUT, null);
        float[] logits = OutputLayer.logits(translator, tape.outputs(), t);
        float[] dLogits = new float[logits.length];
        for (int row = 0; row < t; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < v; c++) {
                max = Math.max(max, logits[row * v + c]);
            }
            double sum = 0;
            for (int c = 0; c < v; c++) {
                sum += Math.exp(logits[row * v + c] - max);
            }
            for (int c = 0; c < v; c++) {
                double p = Math.exp(logits[row * v + c] - max) / sum;
                dLogits[row * v + c] = (float) ((p - (c == LABELS[row] ? 1 : 0)) / t);
            }
        }
        TranslatorGradients gradients = new TranslatorGradients(translator.spec());
        float[] dHidden = TranslatorBackprop.outputBackward(translator, tape.outputs(), t, dLogits, gradients);
        TranslatorBackprop.backward(tape, dHidden, gradients);
        return gradients;
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 2, 3})
    void shouldGiveTheTeacherForcedDistributionsWhenDecodingTokenByToken(int window) {
        TranslatorSpec spec = spec(window, 0.1);
        QrnnTranslator translator = translator(spec, 20 + window);
        TranslatorBackprop.Tape tape = TranslatorBackprop.forward(translator, SOURCE, TARGET_INPUT, null);
        float[] expected = OutputLayer.logits(translator, tape.outputs(), TARGET_INPUT.length);
        OutputLayer.logSoftmaxRows(expected, TARGET_INPUT.length, spec.targetVocabularySize());
        TranslatorMemory memory;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            memory = translator.encode(backend, SOURCE);
        }
        int[] other = {3, 4, 1};
        TranslatorMemory otherMemory = new TranslatorMemory(memory.outputs(), memory.length(), memory.finalHidden());
        TranslatorDecoder decoder = TranslatorDecoder.start(translator, List.of(memory, otherMemory));
        int v = spec.targetVocabularySize();
        for (int t = 0; t < TARGET_INPUT.length; t++) {
            TranslatorDecoder.Step step = decoder.step(new int[] {TARGET_INPUT[t], other[Math.min(t, 2)]});
            float[] row = new float[v];
            System.arraycopy(step.logProbabilities(), 0, row, 0, v);
            float[] want = new float[v];
            System.arraycopy(expected, t * v, want, 0, v);
            NumericAssertions.assertClose("log p at " + t, row, want, 1e-5, 1.0);
            decoder = step.decoder();
        }
    }

    @Test
    void shouldKeepRowsIndependentWhenSelectingHypotheses() {
        TranslatorSpec spec = spec(2, 0.0);
        QrnnTranslator translator = translator(spec, 31);
        TranslatorMemory memory;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            memory = translator.encode(backend, SOURCE);
        }
        TranslatorDecoder single = TranslatorDecoder.start(translator, List.of(memory)).step(new int[] {2}).decoder();
        TranslatorDecoder twice = single.select(new int[] {0, 0});
        TranslatorDecoder.Step alone = single.step(new int[] {5});
        TranslatorDecoder.Step pair = twice.step(new int[] {6, 5});
        int v = spec.targetVocabularySize();
        float[] second = new float[v];
        System.arraycopy(pair.logProbabilities(), v, second, 0, v);
        NumericAssertions.assertClose("row 1", second, alone.logProbabilities(), 1e-6, 1.0);
        assertThat(twice.source(1)).isZero();
    }

    @Test
    void shouldRejectEmptySequences() {
        QrnnTranslator translator = translator(spec(2, 0.0), 3);
        assertThatThrownBy(() -> TranslatorBackprop.forward(translator, new int[0], TARGET_INPUT, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
