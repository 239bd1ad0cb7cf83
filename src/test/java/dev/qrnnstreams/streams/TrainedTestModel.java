package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.model.ClassifierArchitecture;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.model.ModelManifest;
import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import dev.qrnnstreams.train.AdamW;
import dev.qrnnstreams.train.ClassifierEncoding;
import dev.qrnnstreams.train.ClassifierParameters;
import dev.qrnnstreams.train.ClassifierTrainer;
import dev.qrnnstreams.train.LabelledText;
import dev.qrnnstreams.train.LearningRateSchedule;
import dev.qrnnstreams.train.PieceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small sentiment classifiers that the tests train themselves (in about a second each) on sentences of
 * filler words with one polar word, so the topology tests run trained models, not random weights: one
 * with a BPE vocabulary and an embedding, one with a hashed projection and a bottleneck (pQRNN).
 */
public final class TrainedTestModel {
    static final List<String> LABELS = List.of("negative", "positive");
    private static final String[] FILLER =
        {"the", "film", "was", "plot", "and", "acting", "music", "quite", "a", "of", "story", "really"};
    private static final String[] POSITIVE = {"excellent", "moving", "superb", "wonderful"};
    private static final String[] NEGATIVE = {"awful", "boring", "clumsy", "dreadful"};
    private static final ClassifierBundle BUNDLE = train(false, Readout.LAST);
    private static final ClassifierBundle PROJECTED = train(true, Readout.LAST);
    private static final ClassifierBundle POOLED = train(false, Readout.POOLED);

    private TrainedTestModel() {
    }

    /** The trained model at {@code version}; all versions share the weights. */
    static StreamingClassifier classifier(String version) {
        return withVersion(BUNDLE, version);
    }

    /** The trained projection model at {@code version}; all versions share the weights. */
    static StreamingClassifier projected(String version) {
        return withVersion(PROJECTED, version);
    }

    /** The trained embedding model whose head reads the pooled readout, at {@code version}. */
    static StreamingClassifier pooled(String version) {
        return withVersion(POOLED, version);
    }

    private static StreamingClassifier withVersion(ClassifierBundle bundle, String version) {
        ModelManifest manifest = bundle.manifest();
        return new StreamingClassifier(new ClassifierBundle(new ModelManifest(manifest.formatVersion(),
                manifest.name(), version, manifest.task(), manifest.architecture(), manifest.data(),
                manifest.metrics(), manifest.training(), manifest.files()), bundle.input(), bundle.stack(),
                bundle.head()));
    }

    /** The trained embedding model's bundle, as a model directory holds it. */
    public static ClassifierBundle bundle() {
        return BUNDLE;
    }

    /** The trained projection model's bundle, as a model directory holds it. */
    public static ClassifierBundle projectedBundle() {
        return PROJECTED;
    }

    /** {@code count} labelled sentences from {@code seed}. */
    static List<LabelledText> sentences(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
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

    private static ClassifierBundle train(boolean projected, Readout readout) {
        List<LabelledText> train = sentences(1, 600);
        List<LabelledText> dev = sentences(2, 200);
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(16).hiddenSize(24).layers(2).window(2)
                .pooling(Pooling.FO).dense(true).zoneout(0.1).dropout(0.1).build();
        ClassifierParameters parameters;
        ClassifierEncoding encoding;
        if (projected) {
            PieceTable pieces = new PieceTable(new ProjectionSpec(64, 2, 4, true));
            parameters = ClassifierParameters.initialProjected(spec, pieces, LABELS.size(), new SplittableRandom(5));
            encoding = new ClassifierEncoding.Pieces(pieces);
        } else {
            BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(400).build()
                    .train(train.stream().map(LabelledText::text).toList());
            parameters = ClassifierParameters.initial(spec, tokenizer.vocabulary().size(), LABELS.size(),
                    new SplittableRandom(5));
            encoding = new ClassifierEncoding.Tokens(tokenizer);
        }
        if (readout != Readout.LAST) {
            parameters = parameters.withReadout(readout, new SplittableRandom(6));
        }
        List<ClassifierTrainer.Epoch> epochs = new ClassifierTrainer(new ClassifierTrainer.Settings(3, 16, 2, 11, 0,
                false, LearningRateSchedule.Shape.CONSTANT, 5e-3, 0))
                .train(parameters, encoding, train, dev, AdamW.builder().clipNorm(5).build(),
                        new ClassifierTrainer.Listener() { }).epochs();
        double accuracy = epochs.get(epochs.size() - 1).devAccuracy();
        if (accuracy < 0.9) {
            throw new IllegalStateException("the test model reached only " + accuracy + " dev accuracy");
        }
        ClassifierInput input = encoding.input(parameters);
        ClassifierArchitecture architecture = input instanceof ClassifierInput.Projected p
                ? ClassifierArchitecture.projected(spec, p.spec(), LABELS)
                : ClassifierArchitecture.of(spec, parameters.embedding().vocabularySize(), LABELS)
                        .withReadout(readout);
        String name = projected ? "test-sentiment-pqrnn"
                : readout == Readout.POOLED ? "test-sentiment-pooled" : "test-sentiment";
        ModelManifest manifest = new ModelManifest(ClassifierBundle.FORMAT_VERSION, name, "1", ClassifierBundle.TASK,
                architecture,
                Map.of("source", "generated sentences with one polar word"), Map.of("dev_accuracy", accuracy),
                Map.of("command", "trained by TrainedTestModel"), Map.of());
        return new ClassifierBundle(manifest, input, parameters.stack(), parameters.head());
    }
}
