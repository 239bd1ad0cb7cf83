package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.ClassifierArchitecture;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.model.LanguageModelBundle;
import dev.qrnnstreams.model.ModelManifest;
import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.report.HeatMap;
import dev.qrnnstreams.report.LineChart;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import dev.qrnnstreams.text.TokenizerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The whole recipe of a QRNN text classifier: a byte-pair vocabulary learned from the training texts
 * (or taken, with the weights, from a starting bundle), or for a projection classifier a
 * {@link PieceTable} of the training texts' hashed pieces and no vocabulary, a {@link ClassifierTrainer}
 * run that checkpoints and resumes, the dev evaluation on whole texts and on their prefixes, and the model bundle with its
 * manifest, training curve, prefix-accuracy plot and the dev set's confusion matrix
 * ({@value #CONFUSION_PNG}); macro-F1 and per-class precision and recall go into the manifest's metrics.
 *
 * <p>Checkpoint directory layout: {@code tokenizer.txt} (learned once, reused by a resumed run) and
 * {@code checkpoint.bin} ({@link TrainingCheckpoint}).
 */
public final class ClassifierRecipe {
    /** Prefix fractions of the dev evaluation: 10%, 20%, ..., 100% of each text's tokens. */
    public static final List<Double> PREFIX_FRACTIONS = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
    /** Size of the fixed dev sample (the first texts of the dev set) whose accuracy the manifest records. */
    public static final int DEV_SAMPLE = 200;
    private static final String CHECKPOINT = "checkpoint.bin";
    private static final String TOKENIZER = "tokenizer.txt";
    /** The dev set's confusion matrix heat map in a bundle written by the recipe. */
    public static final String CONFUSION_PNG = "confusion-matrix.png";

    private ClassifierRecipe() {
    }

    /**
     * Everything a run needs.
     *
     * @param data the training and dev texts, their class names and provenance
     * @param output the bundle directory to write
     * @param checkpoints the checkpoint directory
     * @param checkpointInterval the least time between two checkpoints within an epoch
     * @param resume whether to continue the run saved in {@code checkpoints}
     * @param initFrom a classifier or language-model bundle whose tokenizer and weights the run starts from
     *     (its architecture replaces {@code stack} and {@code vocabularySize})
     * @param regularisation applied to the starting bundle's stack: the dropout and zoneout the command sets
     *     over the bundle's (identity: the bundle's)
     * @param vocabularySize the BPE vocabulary size learned from the training texts
     * @param projection for a projection classifier, its hashing and projection settings (the stack's
     *     input size is then the bottleneck's width); empty for an embedding classifier
     * @param stack the QRNN stack's hyper-parameters
     * @param readout what the head reads from the stack (a starting bundle's head is kept only when it reads the
     *     same and has the data's classes)
     * @param training the trainer's settings
     * @param optimiser a fresh optimiser
     * @param optimiserKey the optimiser's name and settings, recorded in the checkpoint key
     * @param optimiserName the optimiser's name, recorded in the manifest
     * @param name the model's name
     * @param version the model's version
     * @param command the command line, recorded in the manifest
     * @param distillation teachers whose probabilities each training text's loss is also taken against, and
     *     unlabelled texts they label
     */
    public record Options(ClassificationData data, Path output, Path checkpoints, Duration checkpointInterval,
                          boolean resume, Optional<Path> initFrom, UnaryOperator<QrnnStackSpec> regularisation,
                          int vocabularySize,
                          Optional<ProjectionSpec> projection, QrnnStackSpec stack, Readout readout,
                          ClassifierTrainer.Settings training, Optimiser optimiser, String optimiserKey,
                          String optimiserName, String name, String version, String command,
                          Optional<Distillation> distillation) {
    }

    /**
     * Runs the recipe, passing each batch and epoch to {@code listener} and other lines (data, tokenizer,
     * evaluation) to {@code log}, and returns the manifest written.
     *
     * @throws IOException if data, checkpoint or bundle cannot be read or written
     */
    public static ModelManifest run(Options options, ClassifierTrainer.Listener listener, Consumer<String> log)
            throws IOException {
        long start = System.nanoTime();
        Path checkpointFile = options.checkpoints().resolve(CHECKPOINT);
        Optional<TrainingCheckpoint> saved = Optional.empty();
        if (options.resume()) {
            if (!Files.exists(checkpointFile)) {
                throw new IOException("--resume: no checkpoint at " + checkpointFile);
            }
            saved = Optional.of(TrainingCheckpoint.read(checkpointFile));
        }
        Optional<ClassifierBundle> initial = options.initFrom().isEmpty() ? Optional.empty()
                : Optional.of(startingBundle(options.initFrom().get()));
        QrnnStackSpec stackSpec = initial.map(bundle -> options.regularisation().apply(
                bundle.manifest().architecture().stackSpec())).orElse(options.stack());
        ClassificationData data = options.data();
        LabelledText.Split split = data.split();
        log.accept(String.format(Locale.ROOT, "%s: %d training texts, %d dev texts", data.id(), split.train().size(),
                split.dev().size()));
        Start begun = start(options, stackSpec, initial, saved.isPresent(), log, start);
        ClassifierParameters parameters = begun.parameters();
        ClassifierEncoding encoding = begun.encoding();
        if (initial.isPresent()) {
            boolean sameHead = initial.get().manifest().architecture().labels().equals(data.labels())
                    && initial.get().readout() == options.readout();
            parameters.load(weights(initial.get(), sameHead ? Optional.empty() : Optional.of(parameters)));
            if (!sameHead) {
                log.accept("starting bundle's head (classes " + initial.get().manifest().architecture().labels()
                        + ", readout " + initial.get().readout() + ") differs from this model's: embedding and "
                        + "layers from it, a new head for " + data.labels() + ", readout " + options.readout());
            }
        }
        String settingsKey = String.join(" ", data.key(), begun.inputKey(),
                "stack=" + stackSpec + (options.readout() == Readout.LAST ? "" : " readout=" + options.readout()), "settings=" + options.training(), options.optimiserKey())
                + options.initFrom().map(path -> " init=" + path.toAbsolutePath().normalize()).orElse("")
                + options.distillation().map(Distillation::key).orElse("");
        ClassifierTrainer.Checkpointing checkpointing = new ClassifierTrainer.Checkpointing(settingsKey,
                Optional.of(checkpointFile), options.checkpointInterval());
        Distillation.TrainingTexts training = options.distillation().isEmpty()
                ? Distillation.TrainingTexts.undistilled(split.train())
                : options.distillation().get().trainingTexts(data, log);
        ClassifierTrainer trainer = new ClassifierTrainer(options.training(), training.targets());
        ClassifierTrainer.Run run = trainer.train(parameters, encoding, training.texts(), split.dev(),
                options.optimiser(), listener, checkpointing, saved);

        ClassifierInput input = encoding.input(parameters);
        ClassifierFrontEnd frontEnd = ClassifierFrontEnd.of(input);
        ClassifierEvaluation evaluation = ClassifierEvaluation.of(frontEnd, parameters.stack(), parameters.head(),
                parameters.readout(),
                split.dev(), PREFIX_FRACTIONS);
        ClassifierEvaluation sample = ClassifierEvaluation.of(frontEnd, parameters.stack(), parameters.head(),
                parameters.readout(),
                split.dev().subList(0, Math.min(DEV_SAMPLE, split.dev().size())));
        ConfusionMatrix confusion = evaluation.confusion(data.labels());
        ModelManifest manifest = new ModelManifest(ClassifierBundle.FORMAT_VERSION, options.name(), options.version(),
                ClassifierBundle.TASK, architecture(input, stackSpec, data.labels()).withReadout(options.readout()),
                provenance(data.provenance(), initial, training.teachers()), metrics(evaluation, sample, confusion),
                training(options, run, training, (System.nanoTime() - start) / 1e9), Map.of());
        Path output = options.output();
        new ClassifierBundle(manifest, input, parameters.stack(), parameters.head()).write(output);
        trainingCurve(options.name(), run).writePng(output.resolve("training-curve.png"));
        prefixChart(options.name(), evaluation).writePng(output.resolve("prefix-accuracy.png"));
        confusionChart(options.name() + ": dev set", confusion).writePng(output.resolve(CONFUSION_PNG));
        log.accept(String.format(Locale.ROOT, "dev accuracy %.4f (%d texts); after 10%%..100%% of the tokens: %s",
                evaluation.accuracy(), evaluation.texts(), percentages(evaluation.prefixAccuracies())));
        log.accept(String.format(Locale.ROOT, "dev macro-F1 %.4f", confusion.macroF1()));
        confusion.report().forEach(log);
        log.accept("wrote " + output);
        return manifest;
    }

    /**
     * The bundle a run starts from: a classifier's, or a language model's as a classifier bundle whose head
     * covers the vocabulary (its labels, none, never equal the data's, so the head starts anew).
     */
    static ClassifierBundle startingBundle(Path directory) throws IOException {
        if (LanguageModelBundle.TASK.equals(BundleTask.of(directory))) {
            LanguageModelBundle model = LanguageModelBundle.read(directory);
            return new ClassifierBundle(model.manifest(), model.input(), model.stack(), model.output());
        }
        return ClassifierBundle.read(directory);
    }

    /** Fresh parameters, the text side of training, and the input's part of the checkpoint key. */
    private record Start(ClassifierParameters parameters, ClassifierEncoding encoding, String inputKey) {
    }

    /** The projection's piece table or the tokenizer (learned, resumed or the starting bundle's), and fresh values. */
    private static Start start(Options options, QrnnStackSpec stackSpec, Optional<ClassifierBundle> initial,
                               boolean resuming, Consumer<String> log, long startNanos) throws IOException {
        if (initial.isPresent() && (options.projection().isPresent()
                || initial.get().manifest().architecture().usesProjection())) {
            throw new IllegalArgumentException("--init-from starts an embedding classifier from an embedding "
                    + "bundle; a projection classifier starts afresh");
        }
        int classes = options.data().labels().size();
        SplittableRandom random = new SplittableRandom(options.training().seed());
        if (options.projection().isPresent()) {
            PieceTable pieces = new PieceTable(options.projection().get());
            return new Start(read(options.readout(), ClassifierParameters.initialProjected(stackSpec, pieces, classes,
                    random), random),
                    new ClassifierEncoding.Pieces(pieces), "projection=" + pieces.spec());
        }
        BpeTokenizer tokenizer = initial.isPresent()
                ? ((ClassifierInput.Embedded) initial.get().input()).tokenizer()
                : tokenizer(options.data().split().train(), options.checkpoints().resolve(TOKENIZER),
                        options.vocabularySize(), resuming);
        log.accept(String.format(Locale.ROOT, "tokenizer: %d ids (%.1f s)", tokenizer.vocabulary().size(),
                (System.nanoTime() - startNanos) / 1e9));
        return new Start(read(options.readout(), ClassifierParameters.initial(stackSpec, tokenizer.vocabulary().size(),
                classes, random), random),
                new ClassifierEncoding.Tokens(tokenizer), "vocabulary=" + tokenizer.vocabulary().size());
    }

    /** {@code parameters} reading through {@code readout}: a new head only for a readout other than the last output. */
    private static ClassifierParameters read(Readout readout, ClassifierParameters parameters,
                                             SplittableRandom random) {
        return readout == Readout.LAST ? parameters : parameters.withReadout(readout, random);
    }

    private static ClassifierArchitecture architecture(ClassifierInput input, QrnnStackSpec stack,
                                                       List<String> labels) {
        if (input instanceof ClassifierInput.Embedded embedded) {
            return ClassifierArchitecture.of(stack, embedded.embedding().vocabularySize(), labels);
        }
        return ClassifierArchitecture.projected(stack, ((ClassifierInput.Projected) input).spec(), labels);
    }

    /** The data's provenance, with the starting bundle's and the teachers' data and terms where there are. */
    static Map<String, String> provenance(Map<String, String> data, Optional<ClassifierBundle> initial,
                                          List<ClassifierBundle> teachers) {
        Map<String, String> merged = new LinkedHashMap<>(data);
        if (initial.isPresent()) {
            ModelManifest start = initial.get().manifest();
            merged.put("initialised_from", start.name() + " " + start.version() + ", trained on "
                    + start.data().getOrDefault("dataset", "unknown data"));
            addTerms(merged, "the starting weights", start);
        }
        for (ClassifierBundle teacher : teachers) {
            ModelManifest from = teacher.manifest();
            merged.merge("distilled_from", from.name() + " " + from.version() + ", trained on "
                    + from.data().getOrDefault("dataset", "unknown data"), (earlier, next) -> earlier + "; " + next);
            addTerms(merged, "the teacher", from);
        }
        return merged;
    }

    /** Adds the terms of use {@code model} states, those not already among {@code provenance}'s, named by {@code role}. */
    private static void addTerms(Map<String, String> provenance, String role, ModelManifest model) {
        String terms = model.data().get("terms");
        if (terms != null) {
            provenance.put("terms", TermsOfUse.merge(provenance.get("terms"), role, terms));
        }
    }

    /**
     * The bundle's arrays in the order of {@link ClassifierParameters#values()}; the head's from
     * {@code head} instead when given (a starting bundle with other classes).
     */
    static List<float[]> weights(ClassifierBundle bundle, Optional<ClassifierParameters> head) {
        List<float[]> values = new ArrayList<>();
        values.add(((ClassifierInput.Embedded) bundle.input()).embedding().vectors());
        for (int l = 0; l < bundle.stack().layers().size(); l++) {
            values.add(bundle.stack().layer(l).packedWeights());
            values.add(bundle.stack().layer(l).bias());
        }
        values.add(head.map(p -> p.head().weights()).orElse(bundle.head().weights()));
        values.add(head.map(p -> p.head().bias()).orElse(bundle.head().bias()));
        return values;
    }

    private static BpeTokenizer tokenizer(List<LabelledText> train, Path file, int vocabularySize, boolean resuming)
            throws IOException {
        if (resuming) {
            return TokenizerFormat.read(file);
        }
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(vocabularySize).build()
                .train(train.stream().map(LabelledText::text).toList());
        Files.createDirectories(file.toAbsolutePath().getParent());
        TokenizerFormat.write(tokenizer, file);
        return tokenizer;
    }

    private static Map<String, Double> metrics(ClassifierEvaluation evaluation, ClassifierEvaluation sample,
                                               ConfusionMatrix confusion) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("dev_accuracy", evaluation.accuracy());
        metrics.put("dev_macro_f1", confusion.macroF1());
        for (int c = 0; c < confusion.labels().size(); c++) {
            String label = confusion.labels().get(c);
            metrics.put("dev_precision_" + label, confusion.precision(c));
            metrics.put("dev_recall_" + label, confusion.recall(c));
        }
        metrics.put("dev_texts", (double) evaluation.texts());
        for (int f = 0; f < evaluation.fractions().size(); f++) {
            metrics.put(String.format(Locale.ROOT, "dev_accuracy_prefix_%03d",
                    Math.round(evaluation.fractions().get(f) * 100)), evaluation.prefixAccuracies().get(f));
        }
        metrics.put("dev_sample_accuracy", sample.accuracy());
        metrics.put("dev_sample_texts", (double) sample.texts());
        return metrics;
    }

    private static Map<String, String> training(Options options, ClassifierTrainer.Run run,
                                                Distillation.TrainingTexts texts,
                                                double commandSeconds) {
        double tokens = 0;
        double seconds = 0;
        StringBuilder log = new StringBuilder();
        for (ClassifierTrainer.Epoch epoch : run.epochs()) {
            tokens += epoch.tokensPerSecond() * epoch.seconds();
            seconds += epoch.seconds();
            log.append(String.format(Locale.ROOT, "%sepoch %d loss %.4f dev %.4f %.0f tokens/s %.0f s",
                    log.length() == 0 ? "" : "; ", epoch.epoch(), epoch.loss(), epoch.devAccuracy(),
                    epoch.tokensPerSecond(), epoch.seconds()));
        }
        Map<String, String> training = new LinkedHashMap<>();
        training.put("command", options.command());
        training.put("wall_time_s", String.format(Locale.ROOT, "%.0f", run.seconds()));
        training.put("command_wall_time_s", String.format(Locale.ROOT, "%.0f", commandSeconds));
        training.put("tokens_per_second", String.format(Locale.ROOT, "%.0f", tokens / seconds));
        training.put("epochs", log.toString());
        training.put("optimiser", options.optimiserName());
        options.distillation().ifPresent(d -> training.put("distilled_from", d.teachers().stream()
                .map(Path::toString).collect(Collectors.joining(", ")) + ", teacher weight " + d.weight()));
        options.distillation().flatMap(Distillation::unlabelled).ifPresent(u -> training.put("unlabelled",
                u.file() + ", " + texts.unlabelled() + " texts labelled by the teachers"));
        if (!options.training().classWeights().isEmpty()) {
            training.put("class_weights", options.training().classWeights().toString());
        }
        if (options.training().adversarialEpsilon() > 0) {
            training.put("adversarial_epsilon", Double.toString(options.training().adversarialEpsilon()));
        }
        training.put("java", System.getProperty("java.version"));
        training.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return training;
    }

    private static LineChart trainingCurve(String modelName, ClassifierTrainer.Run run) {
        int n = run.epochs().size();
        double[] x = new double[n];
        double[] loss = new double[n];
        double[] accuracy = new double[n];
        for (int i = 0; i < n; i++) {
            ClassifierTrainer.Epoch epoch = run.epochs().get(i);
            x[i] = epoch.epoch();
            loss[i] = epoch.loss();
            accuracy[i] = epoch.devAccuracy();
        }
        return new LineChart(modelName + ": training curve", List.of(
                new LineChart.Panel("epoch", "training loss", List.of(new LineChart.Series("mean training loss", x,
                        loss))),
                new LineChart.Panel("epoch", "dev accuracy", List.of(new LineChart.Series("dev accuracy", x,
                        accuracy)))));
    }

    /** The confusion matrix as a heat map titled {@code title}: rows the true classes, columns the predicted. */
    public static HeatMap confusionChart(String title, ConfusionMatrix confusion) {
        return new HeatMap(String.format(Locale.ROOT, "%s: accuracy %.1f%%, macro-F1 %.3f", title,
                confusion.accuracy() * 100, confusion.macroF1()), "true class", "predicted class", confusion.labels(),
                confusion.counts());
    }

    private static LineChart prefixChart(String modelName, ClassifierEvaluation evaluation) {
        int n = evaluation.fractions().size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = evaluation.fractions().get(i) * 100;
            y[i] = evaluation.prefixAccuracies().get(i);
        }
        return new LineChart(modelName + ": dev accuracy on text prefixes", List.of(new LineChart.Panel(
                "% of each text's tokens seen", "dev accuracy", List.of(new LineChart.Series("dev accuracy", x, y)))));
    }

    private static String percentages(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(Locale.ROOT, "%.1f", v * 100));
        }
        return String.join(" ", parts);
    }
}
