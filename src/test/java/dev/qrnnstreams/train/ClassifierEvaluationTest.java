package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.EmbeddingFrontEnd;
import dev.qrnnstreams.model.ClassifierInput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guards the batched evaluation against a plain one-text-at-a-time count of the same predictions, on
 * whole texts and on prefixes (the prefix runs from the initial state, independently of the rest).
 */
class ClassifierEvaluationTest {

    @Test
    void shouldCountTheSamePredictionsAsOneTextAtATime() {
        List<LabelledText> texts = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(9);
        String[] words = {"yes", "no", "maybe", "so", "very", "much", "not", "quite"};
        for (int i = 0; i < 150; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = random.nextInt(0, 14); w > 0; w--) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            texts.add(new LabelledText(text.toString(), random.nextInt(2)));
        }
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(270).build()
                .train(texts.stream().map(LabelledText::text).toList());
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(6).hiddenSize(7).layers(2).window(2)
                .pooling(Pooling.FO).dense(true).build();
        ClassifierParameters parameters = ClassifierParameters.initial(spec, tokenizer.vocabulary().size(), 2,
                new SplittableRandom(4));
        List<Double> fractions = List.of(0.1, 0.5, 1.0);

        ClassifierEvaluation evaluation = ClassifierEvaluation.of(new EmbeddingFrontEnd(
                new ClassifierInput.Embedded(parameters.embedding(), tokenizer)), parameters.stack(), parameters.head(),
                parameters.readout(), texts, fractions);

        int[] correct = new int[fractions.size() + 1];
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (LabelledText text : texts) {
                int[] ids = tokenizer.encode(text.text());
                for (int f = 0; f <= fractions.size(); f++) {
                    int keep = f == fractions.size() ? ids.length
                            : Math.max(Math.min(1, ids.length), (int) Math.ceil(fractions.get(f) * ids.length - 1e-9));
                    float[] hidden = backend.step(parameters.stack(), QrnnState.initial(parameters.stack()),
                            parameters.embedding().lookup(Arrays.copyOf(ids, keep))).state().lastHidden();
                    correct[f] += ClassifierEvaluation.predict(parameters.head(), hidden) == text.label() ? 1 : 0;
                }
            }
        }
        assertThat(evaluation.texts()).isEqualTo(150);
        assertThat(evaluation.accuracy()).isEqualTo(correct[fractions.size()] / 150.0);
        for (int f = 0; f < fractions.size(); f++) {
            assertThat(evaluation.prefixAccuracies().get(f)).as("fraction %s", fractions.get(f))
                    .isCloseTo(correct[f] / 150.0, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void shouldEndPrefixesAtTheCeilingOfTheFraction() {
        assertThat(ClassifierEvaluation.prefixEnd(10, 0.1)).isZero();
        assertThat(ClassifierEvaluation.prefixEnd(10, 0.25)).isEqualTo(2);
        assertThat(ClassifierEvaluation.prefixEnd(10, 1.0)).isEqualTo(9);
        assertThat(ClassifierEvaluation.prefixEnd(3, 0.1)).isZero();
    }
}
