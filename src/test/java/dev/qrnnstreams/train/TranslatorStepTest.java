package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.grad.TranslatorGradients;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The label-smoothed loss against hand-computed values, and batch parts summing to the whole batch. */
class TranslatorStepTest {

    @Test
    void shouldComputeTheSmoothedCrossEntropyAndItsGradientOfAHandWorkedRow() {
        // logits (0, ln 2, ln 3): p = (1/6, 2/6, 3/6); label 2, epsilon 0.1, V = 3
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(3)};
        double loss = new TranslatorStep(0.1).smoothedCrossEntropy(logits, 0, 3, 2, 0.5f);
        double expected = 0.9 * Math.log(2) + 0.1 * (Math.log(6) + Math.log(3) + Math.log(2)) / 3;
        assertThat(loss).isCloseTo(expected, within(1e-6));
        assertThat((double) logits[0]).isCloseTo(0.5 * (1.0 / 6 - 0.1 / 3), within(1e-6));
        assertThat((double) logits[1]).isCloseTo(0.5 * (2.0 / 6 - 0.1 / 3), within(1e-6));
        assertThat((double) logits[2]).isCloseTo(0.5 * (3.0 / 6 - 0.9 - 0.1 / 3), within(1e-6));
    }

    @Test
    void shouldGiveTheWholeBatchGradientWhenPartsAreSummed() {
        TranslatorSpec spec = new TranslatorSpec(9, 10, 4, 6, 2, 2, 0.0, 0.0);
        QrnnTranslator translator = QrnnTranslator.initial(spec, new SplittableRandom(5));
        List<TranslatorStep.Example> batch = List.of(new TranslatorStep.Example(new int[] {4, 5, 8}, new int[] {6, 7}),
                new TranslatorStep.Example(new int[] {7}, new int[] {9, 4, 5, 6}),
                new TranslatorStep.Example(new int[] {5, 5, 6, 4}, new int[0]));
        long predictions = batch.stream().mapToLong(TranslatorStep.Example::predictions).sum();
        TranslatorStep step = new TranslatorStep(0.1);
        TranslatorGradients whole = new TranslatorGradients(spec);
        double wholeLoss = step.accumulate(translator, batch, predictions, null, whole);
        TranslatorGradients first = new TranslatorGradients(spec);
        TranslatorGradients second = new TranslatorGradients(spec);
        double partLoss = step.accumulate(translator, batch.subList(0, 1), predictions, null, first)
                + step.accumulate(translator, batch.subList(1, 3), predictions, null, second);
        first.add(second);
        assertThat(partLoss).isCloseTo(wholeLoss, within(1e-9));
        assertThat(wholeLoss).isGreaterThan(0);
        for (String name : spec.tensorShapes().keySet()) {
            float[] expected = whole.tensor(name);
            float[] actual = first.tensor(name);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as(name + "[" + i + "]").isCloseTo(expected[i], within(1e-6));
            }
        }
    }
}
