package dev.qrnnstreams.train;

import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.ClassifierArchitecture;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.model.LanguageModelBundle;
import dev.qrnnstreams.model.ModelManifest;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import dev.qrnnstreams.text.TokenizerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The whole recipe of a causal QRNN language model: a byte-pair vocabulary (learned from the training
 * texts, or taken from a bundle so that the model can start that bundle's classifiers), the texts cut to
 * their first tokens, a {@link LanguageModelTrainer} run that checkpoints and resumes, and the
 * {@link LanguageModelBundle} with its dev perplexity.
 *
 * <p>Checkpoint directory layout: {@code tokenizer.txt} and {@code checkpoint.bin}, as for a classifier.
 */
public final class LanguageModelRecipe {
    private static final String CHECKPOINT = "checkpoint.bin";
    private static final String TOKENIZER = "tokenizer.txt";

    private LanguageModelRecipe() {
    }

    /**
     * Everything a run needs.
     *
     * @param train the training texts
     * @param dev the dev texts whose perplexity is measured
     * @param provenance where the texts came from and their terms, recorded in the manifest
     * @param output the bundle directory to write
     * @param checkpoints the checkpoint directory
     * @param checkpointInterval the least time between two checkpoints within an epoch
     * @param resume whether to continue the run saved in {@code checkpoints}
     * @param tokenizerFrom a bundle (classifier or language model) whose tokenizer to use instead of learning one
     * @param initFrom a language model whose tokenizer, architecture and weights the run starts from (continued
     *     pre-training, or fine-tuning on the text of the task's domain); excludes {@code tokenizerFrom}
     * @param regularisation applied to {@code initFrom}'s stack: the zoneout and dropout of this run
     * @param vocabularySize the BPE vocabulary size learned otherwise
     * @param maxTokens the most tokens of a text used, its first ones (each text predicts all but its first)
     * @param stack the QRNN stack's hyper-parameters
     * @param training the trainer's settings
     * @param optimiser a fresh optimiser
     * @param optimiserKey the optimiser's name and settings, recorded in the checkpoint key
     * @param name the model's name
     * @param version the model's version
     * @param command the command line, recorded in the manifest
     */
    public record Options(List<String> train, List<String> dev, Map<String, String> provenance, Path output,
                          Path checkpoints, Duration checkpointInterval, boolean resume, Optional<Path> tokenizerFrom,
                          Optional<Path> initFrom, UnaryOperator<QrnnStackSpec> regularisation, int vocabularySize, int maxTokens, QrnnStackSpec stack, LanguageModelTrainer.Settings training,
                          Optimiser optimiser, String optimiserKey, String name, String version, String command) {
        /** Checks that at most one of the starting bundles is given. */
        public Options {
            if (tokenizerFrom.isPresent() && initFrom.isPresent()) {
                throw new IllegalArgumentException("a run starting from a language model uses its tokenizer: give "
                        + "either a tokenizer bundle or a starting model, not both");
            }
        }
    }

    /**
     * Runs the recipe, passing each batch to {@code listener} and other lines to {@code log}, and returns
     * the manifest written.
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
                : Optional.of(startingModel(options.initFrom().get()));
        QrnnStackSpec stack = initial.map(bundle -> options.regularisation().apply(
                bundle.manifest().architecture().stackSpec())).orElse(options.stack());
        BpeTokenizer tokenizer = initial.isPresent()
                ? ((ClassifierInput.Embedded) initial.get().input()).tokenizer() : tokenizer(options, saved.isPresent());
        List<int[]> train = sequences(tokenizer, options.train(), options.maxTokens());
        List<int[]> dev = sequences(tokenizer, options.dev(), options.maxTokens());
        log.accept(String.format(Locale.ROOT, "tokenizer: %d ids; %d training sequences (%,d tokens), %d dev "
                + "sequences (%,d tokens) (%.1f s)", tokenizer.vocabulary().size(), train.size(), tokens(train),
                dev.size(), tokens(dev), (System.nanoTime() - start) / 1e9));
        int vocabulary = tokenizer.vocabulary().size();
        ClassifierParameters parameters = ClassifierParameters.initial(stack, vocabulary, vocabulary,
                new SplittableRandom(options.training().seed()));
        initial.ifPresent(bundle -> parameters.load(ClassifierRecipe.weights(bundle, Optional.empty())));
        String settingsKey = String.join(" ", "lm", "texts=" + options.train().size() + "/" + tokens(train),
                "vocabulary=" + vocabulary, "maxTokens=" + options.maxTokens(), "stack=" + stack,
                "settings=" + options.training(), options.optimiserKey())
                + options.initFrom().map(path -> " init=" + path.toAbsolutePath().normalize()).orElse("");
        List<LanguageModelTrainer.Epoch> epochs = new ArrayList<>();
        LanguageModelTrainer.Run run = new LanguageModelTrainer(options.training()).train(parameters, train, dev,
                options.optimiser(), listener, epoch -> {
                    epochs.add(epoch);
                    log.accept(String.format(Locale.ROOT, "epoch %d: loss %.4f, dev perplexity %.2f, %,.0f tokens/s, "
                            + "%.0f s", epoch.epoch(), epoch.loss(), epoch.devPerplexity(), epoch.tokensPerSecond(),
                            epoch.seconds()));
                }, new ClassifierTrainer.Checkpointing(settingsKey, Optional.of(checkpointFile),
                        options.checkpointInterval()), saved);
        LanguageModelEvaluation evaluation = LanguageModelEvaluation.of(parameters.embedding(), parameters.stack(),
                parameters.head(), dev);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("dev_perplexity", evaluation.perplexity());
        metrics.put("dev_tokens", (double) evaluation.tokens());
        metrics.put("dev_texts", (double) dev.size());
        ModelManifest manifest = new ModelManifest(ClassifierBundle.FORMAT_VERSION, options.name(), options.version(),
                LanguageModelBundle.TASK, ClassifierArchitecture.of(stack, vocabulary, List.of()),
                ClassifierRecipe.provenance(options.provenance(), initial, List.of()), metrics, training(options, run, train, (System.nanoTime() - start) / 1e9),
                Map.of());
        new LanguageModelBundle(manifest, new ClassifierInput.Embedded(parameters.embedding(), tokenizer),
                parameters.stack(), parameters.head()).write(options.output());
        log.accept(String.format(Locale.ROOT, "dev perplexity %.2f (%,d tokens of %d texts)", evaluation.perplexity(),
                evaluation.tokens(), dev.size()));
        log.accept("wrote " + options.output());
        return manifest;
    }

    /** A language model to start from, as a classifier bundle whose head is the output layer. */
    private static ClassifierBundle startingModel(Path directory) throws IOException {
        if (!LanguageModelBundle.TASK.equals(BundleTask.of(directory))) {
            throw new IllegalArgumentException(directory + " is not a language model (task "
                    + BundleTask.of(directory) + "); a language model starts only from another");
        }
        return ClassifierRecipe.startingBundle(directory);
    }

    /** The token ids of each text, cut to its first {@code maxTokens}; texts of fewer than two ids are left out. */
    public static List<int[]> sequences(BpeTokenizer tokenizer, List<String> texts, int maxTokens) {
        List<int[]> sequences = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] ids = tokenizer.encode(text);
            if (maxTokens > 0 && ids.length > maxTokens) {
                ids = Arrays.copyOf(ids, maxTokens);
            }
            if (ids.length >= 2) {
                sequences.add(ids);
            }
        }
        return sequences;
    }

    private static long tokens(List<int[]> sequences) {
        long tokens = 0;
        for (int[] sequence : sequences) {
            tokens += sequence.length;
        }
        return tokens;
    }

    private static BpeTokenizer tokenizer(Options options, boolean resuming) throws IOException {
        if (options.tokenizerFrom().isPresent()) {
            Path bundle = options.tokenizerFrom().get();
            ClassifierInput input = LanguageModelBundle.TASK.equals(BundleTask.of(bundle))
                    ? LanguageModelBundle.read(bundle).input() : ClassifierBundle.read(bundle).input();
            if (!(input instanceof ClassifierInput.Embedded embedded)) {
                throw new IllegalArgumentException(bundle + " has no tokenizer (a projection model)");
            }
            return embedded.tokenizer();
        }
        Path file = options.checkpoints().resolve(TOKENIZER);
        if (resuming) {
            return TokenizerFormat.read(file);
        }
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(options.vocabularySize()).build()
                .train(options.train());
        Files.createDirectories(file.toAbsolutePath().getParent());
        TokenizerFormat.write(tokenizer, file);
        return tokenizer;
    }

    private static Map<String, String> training(Options options, LanguageModelTrainer.Run run, List<int[]> train,
                                                double commandSeconds) {
        StringBuilder epochs = new StringBuilder();
        double seconds = 0;
        double tokens = 0;
        for (LanguageModelTrainer.Epoch epoch : run.epochs()) {
            tokens += epoch.tokensPerSecond() * epoch.seconds();
            seconds += epoch.seconds();
            epochs.append(String.format(Locale.ROOT, "%sepoch %d loss %.4f dev perplexity %.2f %.0f tokens/s %.0f s",
                    epochs.length() == 0 ? "" : "; ", epoch.epoch(), epoch.loss(), epoch.devPerplexity(),
                    epoch.tokensPerSecond(), epoch.seconds()));
        }
        Map<String, String> training = new LinkedHashMap<>();
        training.put("command", options.command());
        training.put("wall_time_s", String.format(Locale.ROOT, "%.0f", run.seconds()));
        training.put("command_wall_time_s", String.format(Locale.ROOT, "%.0f", commandSeconds));
        training.put("tokens_per_second", seconds == 0 ? "" : String.format(Locale.ROOT, "%.0f", tokens / seconds));
        training.put("training_tokens", Long.toString(tokens(train)));
        training.put("max_tokens", Integer.toString(options.maxTokens()));
        training.put("epochs", epochs.toString());
        training.put("softmax", options.training().samples() == 0 ? "exact"
                : "sampled, " + options.training().samples() + " candidates per batch from unigram^0.75");
        training.put("java", System.getProperty("java.version"));
        training.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return training;
    }
}
