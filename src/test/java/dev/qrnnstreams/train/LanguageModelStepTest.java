package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.grad.SoftmaxOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guards the language model's training step and trainer: the gradient agrees with finite differences of the
 * step's own loss (exact and sampled softmax), and a trained model remembers a token across a gap, which
 * only the carried pooling state can do.
 */
class LanguageModelStepTest {
    private static final int VOCABULARY = 7;
    private static final int FILLER = 6;
    private static final QrnnStackSpec SPEC = QrnnStackSpec.builder().inputSize(6).hiddenSize(12).layers(2)
            .window(2).pooling(Pooling.FO).dense(true).build();

    @Test
    void shouldMatchFiniteDifferencesOfItsOwnLossWithTheExactSoftmax() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, VOCABULARY,
                new SplittableRandom(1));
        assertGradientsMatch(parameters, () -> SoftmaxOutput.full(12, VOCABULARY, head(parameters), headBias(parameters)));
    }

    @Test
    void shouldMatchFiniteDifferencesOfItsOwnLossWithTheSampledSoftmax() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, VOCABULARY,
                new SplittableRandom(2));
        float[] logExpected = new UnigramProposal(VOCABULARY, sequences(new SplittableRandom(5), 20), 0.75)
                .logExpectedCounts(4);
        assertGradientsMatch(parameters, () -> SoftmaxOutput.sampled(12, VOCABULARY, head(parameters),
                headBias(parameters), new int[] {1, 5, 5, 0}, logExpected));
    }

    @Test
    void shouldLearnToRepeatTheFirstTokenAfterAGapOfFillers() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, VOCABULARY,
                new SplittableRandom(3));
        LanguageModelTrainer trainer = new LanguageModelTrainer(new LanguageModelTrainer.Settings(30, 16, 4, 4,
                LearningRateSchedule.Shape.CONSTANT, 0.01, 0));
        List<int[]> dev = sequences(new SplittableRandom(7), 100);
        List<Double> perplexities = new ArrayList<>();
        trainer.train(parameters, sequences(new SplittableRandom(6), 512), dev, AdamW.builder().clipNorm(5).build(),
                new ClassifierTrainer.Listener() { }, epoch -> perplexities.add(epoch.devPerplexity()),
                ClassifierTrainer.Checkpointing.none(), Optional.empty());

        assertThat(perplexities).hasSize(30);
        double withoutMemory = Math.exp(Math.log(FILLER) / (dev.get(0).length - 1));
        assertThat(perplexities.get(29)).isLessThan(1 + (withoutMemory - 1) / 4);
    }

    private interface Output {
        SoftmaxOutput of();
    }

    private static void assertGradientsMatch(ClassifierParameters parameters, Output output) {
        LanguageModelStep step = new LanguageModelStep();
        List<int[]> batch = sequences(new SplittableRandom(4), 3);
        ClassifierGradients gradients = step.gradients(parameters, batch, output.of(), i -> null);
        List<Parameter> pairs = parameters.paired(gradients);
        for (Parameter pair : List.of(pairs.get(0), pairs.get(1), pairs.get(pairs.size() - 2), pairs.get(pairs.size() - 1))) {
            for (int i = 0; i < pair.values().length; i += 5) {
                float original = pair.values()[i];
                pair.values()[i] = original + 1e-2f;
                double up = step.gradients(parameters, batch, output.of(), e -> null).loss();
                pair.values()[i] = original - 1e-2f;
                double down = step.gradients(parameters, batch, output.of(), e -> null).loss();
                pair.values()[i] = original;
                double numeric = (up - down) / 2e-2;
                assertThat((double) pair.gradient()[i]).as("gradient %d", i)
                        .isCloseTo(numeric, within(1e-3 + 2e-2 * Math.abs(numeric)));
            }
        }
    }

    private static float[] head(ClassifierParameters parameters) {
        return parameters.values().get(parameters.values().size() - 2);
    }

    private static float[] headBias(ClassifierParameters parameters) {
        return parameters.values().get(parameters.values().size() - 1);
    }

    /** A key token from {0..5}, three fillers, the key again. */
    private static List<int[]> sequences(SplittableRandom random, int count) {
        List<int[]> sequences = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int key = random.nextInt(FILLER);
            sequences.add(new int[] {key, FILLER, FILLER, FILLER, key});
        }
        return sequences;
    }
}
