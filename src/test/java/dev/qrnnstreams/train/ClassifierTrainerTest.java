package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guards the training loop on a small sentiment-like task in real text: it learns (dev accuracy well
 * above chance), and a run repeats exactly for the same seed.
 */
class ClassifierTrainerTest {
    private static final String[] FILLER =
        {"the", "film", "was", "plot", "and", "acting", "music", "quite", "a", "of"};
    private static final String[] POSITIVE = {"excellent", "moving", "superb"};
    private static final String[] NEGATIVE = {"awful", "boring", "clumsy"};
    private static final QrnnStackSpec SPEC = QrnnStackSpec.builder().inputSize(16).hiddenSize(24).layers(2)
            .window(2).pooling(Pooling.FO).dense(true).zoneout(0.1).dropout(0.1).build();
    private static final ClassifierTrainer.Settings SETTINGS = new ClassifierTrainer.Settings(3, 16, 2, 11, 0,
            false, LearningRateSchedule.Shape.CONSTANT, 5e-3, 0);

    @Test
    void shouldLearnToTellPositiveFromNegativeWords() {
        List<LabelledText> train = texts(new SplittableRandom(1), 600);
        List<LabelledText> dev = texts(new SplittableRandom(2), 200);
        BpeTokenizer tokenizer = tokenizer(train);

        List<ClassifierTrainer.Epoch> epochs = run(tokenizer, train, dev);

        assertThat(epochs).hasSize(3);
        assertThat(epochs.get(2).devAccuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(epochs.get(2).loss()).isLessThan(epochs.get(0).loss());
        assertThat(epochs.get(0).tokensPerSecond()).isPositive();
    }

    @Test
    void shouldRepeatARunExactlyForTheSameSeed() {
        List<LabelledText> train = texts(new SplittableRandom(3), 100);
        List<LabelledText> dev = texts(new SplittableRandom(4), 50);
        BpeTokenizer tokenizer = tokenizer(train);

        List<ClassifierTrainer.Epoch> first = run(tokenizer, train, dev);
        List<ClassifierTrainer.Epoch> second = run(tokenizer, train, dev);

        for (int e = 0; e < first.size(); e++) {
            assertThat(second.get(e).loss()).isEqualTo(first.get(e).loss());
            assertThat(second.get(e).devAccuracy()).isEqualTo(first.get(e).devAccuracy());
        }
    }

    private static List<ClassifierTrainer.Epoch> run(BpeTokenizer tokenizer, List<LabelledText> train,
                                                     List<LabelledText> dev) {
        ClassifierParameters parameters = ClassifierParameters.initial(SPEC, tokenizer.vocabulary().size(), 2,
                new SplittableRandom(5));
        return new ClassifierTrainer(SETTINGS).train(parameters, new ClassifierEncoding.Tokens(tokenizer), train, dev,
                AdamW.builder().clipNorm(5).build(), new ClassifierTrainer.Listener() { }).epochs();
    }

    private static BpeTokenizer tokenizer(List<LabelledText> texts) {
        return BpeTrainer.builder().vocabularySize(400).build().train(texts.stream().map(LabelledText::text).toList());
    }

    /** Sentences of filler words with one sentiment word (of the label's polarity) somewhere among them. */
    private static List<LabelledText> texts(SplittableRandom random, int count) {
        List<LabelledText> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(2);
            List<String> words = new ArrayList<>();
            int length = random.nextInt(4, 12);
            for (int w = 0; w < length; w++) {
                words.add(FILLER[random.nextInt(FILLER.length)]);
            }
            String[] polar = label == 1 ? POSITIVE : NEGATIVE;
            words.add(random.nextInt(words.size() + 1), polar[random.nextInt(polar.length)]);
            texts.add(new LabelledText(String.join(" ", words) + ".", label));
        }
        return texts;
    }
}
