package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.model.TranslatorManifest;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import dev.qrnnstreams.text.TokenizerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The whole recipe of a German-English translator on Multi30k: byte-pair vocabularies learned from the
 * training split (one per language), a {@link TranslatorTrainer} run that resumes from its work
 * directory, beam-search BLEU on the validation split, and the model bundle with its manifest.
 *
 * <p>Work directory layout: {@code source.tokenizer.txt} and {@code target.tokenizer.txt} (learned once,
 * then reused, so a resumed run tokenises as the interrupted one did) and {@code checkpoint/}
 * ({@link TranslatorCheckpoint}). Running the recipe again after the last epoch only re-evaluates and
 * rewrites the bundle.
 */
public final class TranslatorRecipe {
    /** Longest source or target, in tokens, of a training pair; longer pairs are left out. */
    static final int MAX_TOKENS = 100;
    /** Val sentences, from the first, whose BLEU the manifest also records, for a quick check of a loaded bundle. */
    public static final int SAMPLE_SENTENCES = 100;

    private TranslatorRecipe() {
    }

    /**
     * Everything a run needs.
     *
     * @param data a directory with {@code train.de.gz}, {@code train.en.gz}, {@code val.de.gz}, {@code val.en.gz}
     * @param work the work directory (tokenizers and checkpoint)
     * @param output the bundle directory to write
     * @param sourceVocabulary the German vocabulary size
     * @param targetVocabulary the English vocabulary size
     * @param architecture embedding and hidden sizes, layers, window, zoneout and dropout (its vocabulary sizes
     *     are replaced by those of the learned tokenizers)
     * @param training the trainer's settings
     * @param decoding the search the bundle's BLEU is measured with
     * @param name the model's name
     * @param version the model's version
     * @param command the command line, recorded in the manifest
     * @param note free text recorded in the manifest (for example how a run was interrupted), or empty
     */
    public record Options(Path data, Path work, Path output, int sourceVocabulary, int targetVocabulary,
                          TranslatorSpec architecture, TranslatorTrainer.Settings training, DecodingSettings decoding,
                          String name, String version, String command, String note) {
    }

    /**
     * Runs the recipe, passing each training step to {@code progress} and other lines (data, epochs,
     * evaluation) to {@code log}, and returns the manifest written.
     */
    public static TranslatorManifest run(Options options, Consumer<TranslatorTrainer.Progress> progress,
                                         Consumer<String> log) throws IOException {
        Files.createDirectories(options.work());
        List<ParallelCorpus.Pair> train = ParallelCorpus.read(options.data().resolve("train.de.gz"),
                options.data().resolve("train.en.gz"));
        List<ParallelCorpus.Pair> val = ParallelCorpus.read(options.data().resolve("val.de.gz"),
                options.data().resolve("val.en.gz"));
        BpeTokenizer source = tokenizer(options.work().resolve("source.tokenizer.txt"),
                train.stream().map(ParallelCorpus.Pair::source).toList(), options.sourceVocabulary());
        BpeTokenizer target = tokenizer(options.work().resolve("target.tokenizer.txt"),
                train.stream().map(ParallelCorpus.Pair::target).toList(), options.targetVocabulary());
        List<TranslatorStep.Example> examples = examples(train, source, target);
        TranslatorSpec given = options.architecture();
        TranslatorSpec spec = new TranslatorSpec(source.vocabulary().size(), target.vocabulary().size(),
                given.embeddingSize(), given.hiddenSize(), given.layers(), given.window(), given.zoneout(),
                given.dropout());
        log.accept(String.format(Locale.ROOT, "%d training pairs, %d parameters", examples.size(),
                spec.parameterCount()));
        TranslatorParameters parameters = new TranslatorParameters(
                QrnnTranslator.initial(spec, new SplittableRandom(options.training().seed())));
        Optimiser optimiser = AdamW.builder().beta2(0.98).clipNorm(5.0).build();
        List<String> valSources = val.stream().map(ParallelCorpus.Pair::source).toList();
        List<String> valTargets = val.stream().map(ParallelCorpus.Pair::target).toList();
        List<TranslatorTrainer.Epoch> epochs = new TranslatorTrainer(options.training()).train(parameters, examples,
                valSources, valTargets, source, target, optimiser,
                new TranslatorCheckpoint(options.work().resolve("checkpoint")),
                progress,
                epoch -> log.accept(String.format(Locale.ROOT,
                        "epoch %d done: loss %.4f, %.0f tokens/s, %.0f s, dev BLEU (greedy) %.2f", epoch.epoch(),
                        epoch.loss(), epoch.tokensPerSecond(), epoch.seconds(), epoch.devBleu())));
        QrnnTranslator translator = parameters.snapshot();
        long start = System.nanoTime();
        int sample = Math.min(SAMPLE_SENTENCES, valSources.size());
        double bleu;
        double greedyBleu;
        double sampleBleu;
        try (Translator front = new Translator(translator, source, target, options.decoding())) {
            bleu = CorpusBleu.score(front.translate(valSources), valTargets).score();
            sampleBleu = CorpusBleu.score(front.translate(valSources.subList(0, sample)),
                    valTargets.subList(0, sample)).score();
            greedyBleu = CorpusBleu.score(front.withSettings(DecodingSettings.greedy()).translate(valSources),
                    valTargets).score();
        }
        double evaluationSeconds = (System.nanoTime() - start) / 1e9;
        log.accept(String.format(Locale.ROOT, "val BLEU %.2f (beam %d, length penalty %.2f), greedy %.2f, in %.0f s",
                bleu, options.decoding().beamWidth(), options.decoding().lengthPenalty(), greedyBleu,
                evaluationSeconds));
        TranslatorManifest manifest = new TranslatorManifest(TranslatorBundle.FORMAT_VERSION, options.name(),
                options.version(), TranslatorBundle.TASK, spec, data(train.size(), val.size()),
                metrics(bleu, greedyBleu, sampleBleu, sample, options.decoding()), training(options, epochs, examples.size()), Map.of());
        return new TranslatorBundle(manifest, translator, source, target).write(options.output());
    }

    private static BpeTokenizer tokenizer(Path file, List<String> texts, int size) throws IOException {
        if (Files.exists(file)) {
            return TokenizerFormat.read(file);
        }
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(size).build().train(texts);
        TokenizerFormat.write(tokenizer, file);
        return tokenizer;
    }

    /** The tokenised pairs with a source of 1 to {@link #MAX_TOKENS} tokens and a target of at most as many. */
    static List<TranslatorStep.Example> examples(List<ParallelCorpus.Pair> pairs, BpeTokenizer source,
                                                 BpeTokenizer target) {
        List<TranslatorStep.Example> examples = new ArrayList<>(pairs.size());
        for (ParallelCorpus.Pair pair : pairs) {
            int[] sourceTokens = source.encode(pair.source());
            int[] targetTokens = target.encode(pair.target());
            if (sourceTokens.length > 0 && sourceTokens.length <= MAX_TOKENS && targetTokens.length <= MAX_TOKENS) {
                examples.add(new TranslatorStep.Example(sourceTokens, targetTokens));
            }
        }
        return examples;
    }

    private static Map<String, String> data(int trainPairs, int valPairs) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("dataset", "Multi30k task 1, German-English (raw captions)");
        data.put("source", "github.com/multi30k/dataset data/task1/raw, via ../shared/data/multi30k/raw");
        data.put("train", "train.{de,en}.gz, " + trainPairs + " pairs");
        data.put("evaluation", "val.{de,en}.gz, " + valPairs + " pairs");
        data.put("terms", "non-commercial research and education only");
        return data;
    }

    private static Map<String, Double> metrics(double bleu, double greedyBleu, double sampleBleu, int sample,
                                               DecodingSettings decoding) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_bleu", bleu);
        metrics.put("val_bleu_greedy", greedyBleu);
        metrics.put("val_sample_bleu", sampleBleu);
        metrics.put("val_sample_sentences", (double) sample);
        metrics.putAll(decoding.asMetrics());
        return metrics;
    }

    private static Map<String, String> training(Options options, List<TranslatorTrainer.Epoch> epochs, int pairs) {
        double seconds = epochs.stream().mapToDouble(TranslatorTrainer.Epoch::seconds).sum();
        double tokensPerSecond = epochs.stream().mapToDouble(e -> e.tokensPerSecond() * e.seconds()).sum() / seconds;
        Map<String, String> training = new LinkedHashMap<>();
        training.put("command", options.command());
        if (!options.note().isEmpty()) {
            training.put("note", options.note());
        }
        training.put("epochs", Integer.toString(epochs.size()));
        training.put("training_pairs", Integer.toString(pairs));
        training.put("wall_seconds", String.format(Locale.ROOT, "%.0f", seconds));
        training.put("tokens_per_second", String.format(Locale.ROOT, "%.0f", tokensPerSecond));
        training.put("settings", options.training().toString());
        training.put("bleu", "corpus BLEU as sacreBLEU's default: 13a tokens, mixed case, exp smoothing");
        StringBuilder curve = new StringBuilder();
        for (TranslatorTrainer.Epoch epoch : epochs) {
            curve.append(String.format(Locale.ROOT, "%s%d: loss %.4f, dev BLEU %.2f, %.0f s, %.0f tokens/s",
                    curve.length() == 0 ? "" : "; ", epoch.epoch(), epoch.loss(), epoch.devBleu(), epoch.seconds(),
                    epoch.tokensPerSecond()));
        }
        training.put("epoch_log", curve.toString());
        return training;
    }
}
