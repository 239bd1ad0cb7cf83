package dev.qrnnstreams.streams;

import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.model.TranslatorManifest;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import dev.qrnnstreams.train.AdamW;
import dev.qrnnstreams.train.TranslatorCheckpoint;
import dev.qrnnstreams.train.TranslatorParameters;
import dev.qrnnstreams.train.TranslatorStep;
import dev.qrnnstreams.train.TranslatorTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny German-to-English translator the tests train themselves (a few seconds) on six sentence
 * pairs, so the translation route runs a trained model rather than random weights.
 */
final class TrainedTestTranslator {
    static final List<String> GERMAN = List.of("Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.",
            "Eine Frau liest ein Buch.", "Kinder spielen Fußball.", "Ein Hund läuft.", "Eine Frau fährt Fahrrad.");
    static final List<String> ENGLISH = List.of("A man rides a bike.", "Two dogs play in the snow.",
            "A woman reads a book.", "Children play soccer.", "A dog runs.", "A woman rides a bike.");
    private static final TranslatorBundle BUNDLE = train();

    private TrainedTestTranslator() {
    }

    static TranslatorBundle bundle() {
        return BUNDLE;
    }

    private static TranslatorBundle train() {
        BpeTokenizer source = BpeTrainer.builder().vocabularySize(300).build().train(GERMAN);
        BpeTokenizer target = BpeTrainer.builder().vocabularySize(300).build().train(ENGLISH);
        List<TranslatorStep.Example> examples = new ArrayList<>();
        for (int i = 0; i < GERMAN.size(); i++) {
            examples.add(new TranslatorStep.Example(source.encode(GERMAN.get(i)), target.encode(ENGLISH.get(i))));
        }
        TranslatorSpec spec = new TranslatorSpec(source.vocabulary().size(), target.vocabulary().size(), 16, 16, 2, 2,
                0.0, 0.0);
        TranslatorParameters parameters = new TranslatorParameters(QrnnTranslator.initial(spec, new SplittableRandom(1)));
        try {
            Path checkpoint = Files.createTempDirectory("qrnn-test-translator");
            new TranslatorTrainer(new TranslatorTrainer.Settings(60, 3, 0.02, 0.002, 2, 0.0, 1, 0, 17))
                    .train(parameters, examples, GERMAN, ENGLISH, source, target, AdamW.builder().clipNorm(5).build(),
                            new TranslatorCheckpoint(checkpoint), progress -> { }, epoch -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TranslatorManifest manifest = new TranslatorManifest(TranslatorBundle.FORMAT_VERSION, "test-de-en", "1",
                TranslatorBundle.TASK, spec, Map.of("source", "six hand-written sentence pairs"), Map.of(),
                Map.of("command", "trained by TrainedTestTranslator"), Map.of());
        return new TranslatorBundle(manifest, parameters.snapshot(), source, target);
    }
}
