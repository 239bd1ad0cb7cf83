package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny translator run: the loss falls, and a run resumed from its checkpoint ends where an uninterrupted one does. */
class TranslatorTrainerTest {
    private static final List<String> GERMAN = List.of("Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.",
            "Eine Frau liest ein Buch.", "Kinder spielen Fußball.", "Ein Hund läuft.", "Eine Frau fährt Fahrrad.");
    private static final List<String> ENGLISH = List.of("A man rides a bike.", "Two dogs play in the snow.",
            "A woman reads a book.", "Children play soccer.", "A dog runs.", "A woman rides a bike.");
    private static final BpeTokenizer SOURCE = BpeTrainer.builder().vocabularySize(300).build().train(GERMAN);
    private static final BpeTokenizer TARGET = BpeTrainer.builder().vocabularySize(300).build().train(ENGLISH);

    private static List<TranslatorStep.Example> examples() {
        List<TranslatorStep.Example> examples = new ArrayList<>();
        for (int i = 0; i < GERMAN.size(); i++) {
            examples.add(new TranslatorStep.Example(SOURCE.encode(GERMAN.get(i)), TARGET.encode(ENGLISH.get(i))));
        }
        return examples;
    }

    private static TranslatorParameters parameters() {
        TranslatorSpec spec = new TranslatorSpec(SOURCE.vocabulary().size(), TARGET.vocabulary().size(), 8, 8, 2, 2,
                0.1, 0.1);
        return new TranslatorParameters(QrnnTranslator.initial(spec, new SplittableRandom(1)));
    }

    private static List<TranslatorTrainer.Epoch> run(TranslatorParameters parameters, int epochs, Path checkpoint)
            throws IOException {
        TranslatorTrainer trainer = new TranslatorTrainer(new TranslatorTrainer.Settings(epochs, 3, 0.02, 0.002, 2,
                0.1, 2, 2, 17));
        return trainer.train(parameters, examples(), GERMAN, ENGLISH, SOURCE, TARGET,
                AdamW.builder().clipNorm(5).build(), new TranslatorCheckpoint(checkpoint), progress -> { },
                epoch -> { });
    }

    @Test
    void shouldLowerTheLossOnATinyCorpus(@TempDir Path directory) throws IOException {
        List<TranslatorTrainer.Epoch> epochs = run(parameters(), 8, directory);
        assertThat(epochs).hasSize(8);
        assertThat(epochs.get(7).loss()).isLessThan(epochs.get(0).loss() * 0.8);
    }

    @Test
    void shouldEndWhereAnUninterruptedRunEndsWhenResumedFromTheCheckpoint(@TempDir Path directory)
            throws IOException {
        TranslatorParameters uninterrupted = parameters();
        List<TranslatorTrainer.Epoch> whole = run(uninterrupted, 3, directory.resolve("a"));
        Path checkpoint = directory.resolve("b");
        TranslatorTrainer trainer = new TranslatorTrainer(new TranslatorTrainer.Settings(3, 3, 0.02, 0.002, 2, 0.1, 2,
                2, 17));
        assertThatThrownBy(() -> trainer.train(parameters(), examples(), GERMAN, ENGLISH, SOURCE, TARGET,
                AdamW.builder().clipNorm(5).build(), new TranslatorCheckpoint(checkpoint), progress -> { }, epoch -> {
                    throw new IllegalStateException("interrupted after epoch " + epoch.epoch());
                })).hasMessage("interrupted after epoch 1");
        TranslatorParameters resumed = parameters();
        List<TranslatorTrainer.Epoch> rest = run(resumed, 3, checkpoint);
        assertThat(rest).hasSize(3);
        assertThat(rest.get(2).loss()).isEqualTo(whole.get(2).loss());
        Map<String, float[]> expected = uninterrupted.snapshot().tensors();
        resumed.snapshot().tensors().forEach((name, values) -> assertThat(values).as(name)
                .containsExactly(expected.get(name)));
    }
}
