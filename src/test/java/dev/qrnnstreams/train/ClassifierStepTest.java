package dev.qrnnstreams.train;

import dev.qrnnstreams.model.ProjectionSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the classifier's training step end to end: its gradient agrees with finite differences of
 * its own loss, and AdamW on it learns a task that needs memory across time.
 */
class ClassifierStepTest {
    private static final int VOCABULARY = 6;
    private static final int MARKER = 5;
    private static final QrnnStackSpec SPEC = QrnnStackSpec.builder().inputSize(8).hiddenSize(16).layers(2)
            .window(2).pooling(Pooling.FO).dense(true).build();

    @Test
    void shouldScorePrefixEndsEvenlyUpToTheLastToken() {
        assertThat(new ClassifierStep(4).prefixEnds(8)).containsExactly(1, 3, 5, 7);
        assertThat(new ClassifierStep(4).prefixEnds(2)).containsExactly(0, 1);
        assertThat(new ClassifierStep(1).prefixEnds(5)).containsExactly(4);
    }

    @Test
    void shouldScaleEachTextsLossAndGradientByItsClassWeight() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, 3, new SplittableRandom(3));
        ClassifierStep.Example first = new ClassifierStep.Example(new int[] {1, 2, 3}, 0);
        ClassifierStep.Example second = new ClassifierStep.Example(new int[] {4, 2}, 2);
        ClassifierStep plain = new ClassifierStep(2);
        ClassifierStep weighted = new ClassifierStep(2, List.of(0.5, 1.0, 3.0), 0);

        double a = plain.gradients(parameters, List.of(first), example -> null).loss();
        double b = plain.gradients(parameters, List.of(second), example -> null).loss();
        ClassifierGradients both = weighted.gradients(parameters, List.of(first, second), example -> null);
        ClassifierGradients secondOnly = plain.gradients(parameters, List.of(second), example -> null);
        ClassifierGradients secondWeighted = weighted.gradients(parameters, List.of(second), example -> null);

        assertThat(both.loss()).isCloseTo((0.5 * a + 3.0 * b) / 2, within(1e-6));
        float[] headBias = parameters.paired(secondOnly).get(parameters.values().size() - 1).gradient();
        float[] headBiasWeighted = parameters.paired(secondWeighted).get(parameters.values().size() - 1).gradient();
        for (int c = 0; c < 3; c++) {
            assertThat(headBiasWeighted[c]).isCloseTo(3 * headBias[c], within(1e-6f));
        }
    }

    @Test
    void shouldBalanceClassWeightsInverselyToClassSize() {
        assertThat(ClassifierTrainer.Settings.balancedWeights(new int[] {10, 30, 20}))
                .containsExactly(2.0, 60.0 / 90, 1.0);
    }

    @Test
    void shouldMatchFiniteDifferencesOfItsOwnLossForEmbeddingAndHead() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, 2, new SplittableRandom(1));
        List<ClassifierStep.Example> batch = examples(new SplittableRandom(2), 4);
        ClassifierStep step = new ClassifierStep(3);
        ClassifierGradients gradients = step.gradients(parameters, batch, example -> null);
        List<Parameter> pairs = parameters.paired(gradients);

        for (Parameter pair : List.of(pairs.get(0), pairs.get(pairs.size() - 2))) {
            assertMatchesFiniteDifferences(step, parameters, batch, pair, 7);
        }
    }

    @Test
    void shouldMatchFiniteDifferencesOfItsOwnLossThroughThePooledReadout() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, 2, new SplittableRandom(1))
                .withReadout(Readout.POOLED, new SplittableRandom(12));
        List<ClassifierStep.Example> batch = examples(new SplittableRandom(2), 4);
        ClassifierStep step = new ClassifierStep(3);
        ClassifierGradients gradients = step.gradients(parameters, batch, example -> null);
        List<Parameter> pairs = parameters.paired(gradients);

        assertThat(pairs.get(pairs.size() - 2).values()).hasSize(3 * 16 * 2);
        for (Parameter pair : List.of(pairs.get(0), pairs.get(1), pairs.get(pairs.size() - 2))) {
            assertMatchesFiniteDifferences(step, parameters, batch, pair, 7);
        }
    }

    @Test
    void shouldMatchFiniteDifferencesOfItsOwnLossForTheProjectionBottleneck() {
        PieceTable pieces = new PieceTable(new ProjectionSpec(16, 2, 3, true));
        ClassifierParameters parameters = ClassifierParameters.initialProjected(SPEC, pieces, 2,
                new SplittableRandom(1));
        List<ClassifierStep.Example> batch = List.of(
                new ClassifierStep.Example(pieces.ids("A fine, moving film."), 1),
                new ClassifierStep.Example(pieces.ids("dull plot; the film drags"), 0),
                new ClassifierStep.Example(pieces.ids("fine"), 1));
        ClassifierStep step = new ClassifierStep(2);
        ClassifierGradients gradients = step.gradients(parameters, batch, example -> null);
        List<Parameter> pairs = parameters.paired(gradients);

        assertThat(pairs.get(0).values()).hasSize(16 * 8);
        for (Parameter pair : List.of(pairs.get(0), pairs.get(1))) {
            assertMatchesFiniteDifferences(step, parameters, batch, pair, 3);
        }
    }

    @Test
    void shouldEqualTheMeanOfSingleExampleGradientsWhenTheBatchIsSplitAcrossThreads() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, 2, new SplittableRandom(8));
        List<ClassifierStep.Example> batch = examples(new SplittableRandom(9), 5);
        ClassifierStep step = new ClassifierStep(2);

        ClassifierGradients together = step.gradients(parameters, batch,
                example -> new TrainingNoise(new SplittableRandom(example)));

        List<float[]> expected = new ArrayList<>();
        double loss = 0;
        for (int e = 0; e < batch.size(); e++) {
            long seed = e;
            ClassifierGradients alone = step.gradients(parameters, List.of(batch.get(e)),
                    example -> new TrainingNoise(new SplittableRandom(seed)));
            loss += alone.loss() / batch.size();
            List<Parameter> pairs = parameters.paired(alone);
            for (int p = 0; p < pairs.size(); p++) {
                if (e == 0) {
                    expected.add(new float[pairs.get(p).gradient().length]);
                }
                for (int i = 0; i < expected.get(p).length; i++) {
                    expected.get(p)[i] += pairs.get(p).gradient()[i] / batch.size();
                }
            }
        }
        assertThat(together.loss()).isCloseTo(loss, within(1e-6));
        List<Parameter> pairs = parameters.paired(together);
        for (int p = 0; p < pairs.size(); p++) {
            for (int i = 0; i < expected.get(p).length; i++) {
                assertThat(pairs.get(p).gradient()[i]).as("array %d value %d", p, i)
                        .isCloseTo(expected.get(p)[i], within(1e-6f));
            }
        }
    }

    @Test
    void shouldMoveTheInputAlongTheGradientByEpsilonTimesTheNormOfTheRows() {
        float[] rows = {3, -4, 0, 12};
        float[] gradient = {0, 2, -1, 2};
        double epsilon = 0.5;

        float[] moved = ClassifierStep.perturbed(rows, gradient, epsilon);

        double step = epsilon * 13 / 3;
        for (int i = 0; i < rows.length; i++) {
            assertThat((double) moved[i]).isCloseTo(rows[i] + step * gradient[i], within(1e-5));
        }
        assertThat(ClassifierStep.perturbed(rows, new float[4], epsilon)).containsExactly(rows);
    }

    @Test
    void shouldAddTheGradientsOfTheLossAtTheAdversarialInputToThoseAtTheCleanOne() {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, 3, new SplittableRandom(5))
                .withReadout(Readout.POOLED, new SplittableRandom(6));
        int[] tokens = {1, 4, 2, 5};
        List<ClassifierStep.Example> batch = List.of(new ClassifierStep.Example(tokens, 2));
        double epsilon = 0.05;
        ClassifierGradients clean = new ClassifierStep(3).gradients(parameters, batch, example -> null);
        ClassifierGradients adversarial = new ClassifierStep(3, List.of(), epsilon)
                .gradients(parameters, batch, example -> null);

        // The tokens are distinct, so each one's embedding gradient is the loss gradient of its input row.
        int width = SPEC.inputSize();
        float[] rows = parameters.embedding().lookup(tokens);
        float[] dRows = new float[rows.length];
        for (int t = 0; t < tokens.length; t++) {
            System.arraycopy(clean.input().get(0), tokens[t] * width, dRows, t * width, width);
        }
        float[] moved = ClassifierStep.perturbed(rows, dRows, epsilon);
        ClassifierParameters shifted = ClassifierParameters.initial(SPEC, VOCABULARY, 3, new SplittableRandom(5))
                .withReadout(Readout.POOLED, new SplittableRandom(6));
        for (int t = 0; t < tokens.length; t++) {
            System.arraycopy(moved, t * width, shifted.values().get(0), tokens[t] * width, width);
        }
        ClassifierGradients atMoved = new ClassifierStep(3).gradients(shifted, batch, example -> null);

        assertThat(adversarial.loss()).isEqualTo(clean.loss());
        assertThat(adversarial.adversarialLoss()).isCloseTo(atMoved.loss(), within(1e-6))
                .isGreaterThan(clean.loss());
        List<Parameter> expected = parameters.paired(clean);
        List<Parameter> extra = shifted.paired(atMoved);
        List<Parameter> actual = parameters.paired(adversarial);
        for (int p = 1; p < actual.size(); p++) {
            for (int i = 0; i < actual.get(p).gradient().length; i++) {
                assertThat(actual.get(p).gradient()[i]).as("array %d value %d", p, i).isCloseTo(
                        expected.get(p).gradient()[i] + extra.get(p).gradient()[i], within(1e-6f));
            }
        }
        for (int token : tokens) {
            for (int j = 0; j < width; j++) {
                int i = token * width + j;
                assertThat(actual.get(0).gradient()[i]).as("embedding of token %d", token).isCloseTo(
                        expected.get(0).gradient()[i] + extra.get(0).gradient()[i], within(1e-6f));
            }
        }
    }

    @ParameterizedTest(name = "adversarial epsilon {0}")
    @ValueSource(doubles = {0, 0.05})
    void shouldLearnWhetherAMarkerTokenAppearedAnywhereInTheSequence(double adversarialEpsilon) {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, VOCABULARY, 2, new SplittableRandom(3));
        ClassifierStep step = new ClassifierStep(1, List.of(), adversarialEpsilon);
        AdamW adam = AdamW.builder().clipNorm(5).build();
        SplittableRandom random = new SplittableRandom(4);
        for (int iteration = 0; iteration < 300; iteration++) {
            long seed = 1000L * iteration;
            ClassifierGradients gradients = step.gradients(parameters, examples(random, 16),
                    example -> new TrainingNoise(new SplittableRandom(seed + example)));
            adam.step(parameters.paired(gradients), 0.01);
        }

        List<ClassifierStep.Example> heldOut = examples(new SplittableRandom(6), 400);
        assertThat(accuracy(parameters, heldOut)).isGreaterThanOrEqualTo(0.95);
    }

    /** Accuracy of the streaming read-out: the head on the final state's hidden output. */
    private static double accuracy(ClassifierParameters parameters, List<ClassifierStep.Example> examples) {
        LinearSoftmaxHead head = parameters.head();
        int correct = 0;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (ClassifierStep.Example example : examples) {
                StepResult result = backend.step(parameters.stack(), QrnnState.initial(parameters.stack()),
                        parameters.embedding().lookup(example.tokens()));
                float[] p = head.probabilities(result.state().lastHidden());
                correct += (p[1] > p[0] ? 1 : 0) == example.label() ? 1 : 0;
            }
        }
        return (double) correct / examples.size();
    }

    /** Sequences of 5 to 20 tokens from {0..4}; half of them get the marker at a random position. */
    private static List<ClassifierStep.Example> examples(SplittableRandom random, int count) {
        List<ClassifierStep.Example> examples = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            int[] tokens = new int[random.nextInt(5, 21)];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = random.nextInt(MARKER);
            }
            int label = random.nextInt(2);
            if (label == 1) {
                tokens[random.nextInt(tokens.length)] = MARKER;
            }
            examples.add(new ClassifierStep.Example(tokens, label));
        }
        return examples;
    }

    /** Every {@code stride}-th value of {@code pair}: its gradient against central differences of the step's loss. */
    private static void assertMatchesFiniteDifferences(ClassifierStep step, ClassifierParameters parameters,
                                                       List<ClassifierStep.Example> batch, Parameter pair,
                                                       int stride) {
        for (int i = 0; i < pair.values().length; i += stride) {
            float original = pair.values()[i];
            pair.values()[i] = original + 1e-2f;
            double up = step.gradients(parameters, batch, example -> null).loss();
            pair.values()[i] = original - 1e-2f;
            double down = step.gradients(parameters, batch, example -> null).loss();
            pair.values()[i] = original;
            double numeric = (up - down) / 2e-2;
            assertThat((double) pair.gradient()[i]).as("gradient %d", i)
                    .isCloseTo(numeric, within(1e-3 + 2e-2 * Math.abs(numeric)));
        }
    }
}
