package dev.qrnnstreams.cli;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.LanguageModelBundle;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.train.ClassLabels;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.ClassifierEvaluation;
import dev.qrnnstreams.train.ClassifierRecipe;
import dev.qrnnstreams.train.ConfusionMatrix;
import dev.qrnnstreams.train.CorpusBleu;
import dev.qrnnstreams.train.LabelledFiles;
import dev.qrnnstreams.train.LabelledText;
import dev.qrnnstreams.train.LabelledTextReader;
import dev.qrnnstreams.train.LanguageModelEvaluation;
import dev.qrnnstreams.train.LanguageModelRecipe;
import dev.qrnnstreams.train.ParallelCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qrnn eval}: measures a model bundle on a data file. The bundle's manifest names its task,
 * and {@link #call()} dispatches on it: a classifier reports accuracy (on the whole texts and on
 * prefixes of them), macro-F1, per-class precision and recall and the confusion matrix (as text and,
 * if asked, as a PNG heat map); a translator corpus BLEU against reference translations. Both can write
 * the per-text predictions or translations to a file; a language model reports its perplexity.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model bundle on a data file.",
            "classifier bundles: accuracy, macro-F1, per-class precision and recall and the confusion matrix on a",
            "labelled CSV, TSV or JSON Lines file, read as the model's manifest records unless told otherwise",
            "(--split dev reproduces a dev set carved from the training file, from the split the manifest records).",
            "translator bundles: corpus BLEU against reference translations.",
            "language-model bundles: perplexity on the file's texts (labels unread)."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, description = "The model bundle directory.")
    private Path model;

    @Option(names = {"-d", "--data"}, required = true, description = "The data file to evaluate on.")
    private Path data;

    @Option(names = "--references",
            description = "Translator: the reference translations, aligned by line (default: the data file's name "
                    + "with .de replaced by .en).")
    private Path references;

    @Option(names = "--beam", defaultValue = "0",
            description = "Translator: beam width (default: the one the manifest's BLEU was measured with).")
    private int beam;

    @Option(names = "--length-penalty", defaultValue = "-1",
            description = "Translator: length penalty exponent (default: the manifest's).")
    private double lengthPenalty;

    @Mixin
    private ReaderOptions reading;

    @Option(names = "--split", defaultValue = "all",
            description = "all: every text of the file; dev or train: that part of the split recorded in the "
                    + "manifest (IMDb). Default: ${DEFAULT-VALUE}.")
    private String split;

    @Option(names = "--limit", defaultValue = "0",
            description = "Evaluate only the first N texts (0: all). Default: ${DEFAULT-VALUE}.")
    private int limit;

    @Option(names = "--predictions",
            description = "Write one line per text to this file: TSV (text, label, predicted, its probability, then "
                    + "p_<class> for every class; for a translator source, reference, translation) or, for a .jsonl "
                    + "name, JSON Lines. Default: none.")
    private Path predictions;

    @Option(names = "--confusion-png",
            description = "Classifier: draw the confusion matrix as a heat map into this PNG. Default: none.")
    private Path confusionPng;

    /** Evaluates and prints the result; returns the exit code. */
    @Override
    public Integer call() throws IOException {
        String task = BundleTask.of(model);
        if (ClassifierBundle.TASK.equals(task)) {
            return evaluateClassifier(ClassifierBundle.read(model));
        }
        if (TranslatorBundle.TASK.equals(task)) {
            return evaluateTranslator(TranslatorBundle.read(model));
        }
        if (LanguageModelBundle.TASK.equals(task)) {
            return evaluateLanguageModel(LanguageModelBundle.read(model));
        }
        throw new ParameterException(spec.commandLine(), model + " holds a '" + task + "' model, which eval cannot "
                + "evaluate");
    }

    private int evaluateClassifier(ClassifierBundle bundle) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> labels = bundle.manifest().architecture().labels();
        Map<String, String> provenance = bundle.manifest().data();
        ClassLabels.Labelled read = read(labels, provenance);
        if (!read.skipped().isEmpty()) {
            out.printf(Locale.ROOT, "skipped %d bad rows; the first: %s%n", read.skipped().size(), read.skipped().get(0));
        }
        List<LabelledText> texts = select(read.texts(), provenance);
        if (limit > 0 && texts.size() > limit) {
            texts = texts.subList(0, limit);
        }
        ClassifierEvaluation evaluation = ClassifierEvaluation.of(ClassifierFrontEnd.of(bundle.input()),
                bundle.stack(), bundle.head(), bundle.readout(), texts, ClassifierRecipe.PREFIX_FRACTIONS);
        ConfusionMatrix confusion = evaluation.confusion(labels);
        out.printf(Locale.ROOT, "model %s %s, data %s (%s, %d texts)%n", bundle.manifest().name(),
                bundle.manifest().version(), data, split, evaluation.texts());
        out.printf(Locale.ROOT, "accuracy %.4f%n", evaluation.accuracy());
        out.printf(Locale.ROOT, "macro-F1 %.4f%n", confusion.macroF1());
        confusion.report().forEach(out::println);
        for (int f = 0; f < evaluation.fractions().size(); f++) {
            out.printf(Locale.ROOT, "accuracy after %3.0f%% of the tokens %.4f%n", evaluation.fractions().get(f) * 100,
                    evaluation.prefixAccuracies().get(f));
        }
        if (confusionPng != null) {
            ClassifierRecipe.confusionChart(bundle.manifest().name() + " on " + data.getFileName(), confusion)
                    .writePng(confusionPng);
            out.printf(Locale.ROOT, "wrote %s%n", confusionPng);
        }
        if (predictions != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                ClassifierEvaluation.Prediction prediction = evaluation.predictions().get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("text", texts.get(i).text());
                row.put("label", labels.get(prediction.actual()));
                row.put("predicted", labels.get(prediction.predicted()));
                row.put("probability", prediction.probability());
                for (int c = 0; c < labels.size(); c++) {
                    row.put("p_" + labels.get(c), (double) prediction.probabilities()[c]);
                }
                rows.add(row);
            }
            PredictionsFile.write(predictions, rows);
            out.printf(Locale.ROOT, "wrote %s%n", predictions);
        }
        out.flush();
        return Main.OK;
    }

    /**
     * The data file's labelled texts: through a preset (--format sst2|imdb, or a bundle that records no
     * reader, by the file's name as before), else through the reader the manifest records with the
     * options given laid over it.
     */
    private ClassLabels.Labelled read(List<String> labels, Map<String, String> provenance) throws IOException {
        Optional<LabelledTextReader.Builder> recorded = LabelledTextReader.fromSettings(provenance);
        Optional<ClassificationDataset> preset = reading.preset();
        if (preset.isEmpty() && recorded.isEmpty() && !reading.given()) {
            preset = Optional.of(data.getFileName().toString().endsWith(".gz") ? ClassificationDataset.IMDB
                    : ClassificationDataset.SST2);
        }
        if (preset.isPresent()) {
            return new ClassLabels.Labelled(preset.get().read(data), List.of());
        }
        ClassLabels classes = labels.equals(ClassificationDataset.LABELS) ? ClassificationDataset.CLASSES
                : ClassLabels.of(labels);
        LabelledTextReader reader = reading.reader(recorded.orElseGet(LabelledTextReader::builder));
        return classes.label(reader.read(data), reading.skipBadRows());
    }

    /**
     * The perplexity of a language model on the data file's texts (labels, if any, unread), each cut to the
     * first tokens its training read ({@code max_tokens} in the manifest).
     */
    private int evaluateLanguageModel(LanguageModelBundle bundle) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        LabelledTextReader.Builder base = LabelledTextReader.builder().unlabelled();
        if (data.getFileName().toString().contains(".tsv")) {
            base.format(LabelledTextReader.Format.TSV).quote(null);
        }
        List<LabelledText> texts = select(reading.reader(base).read(data).rows().stream()
                .map(row -> new LabelledText(row.text(), 0)).toList(), bundle.manifest().data());
        if (limit > 0 && texts.size() > limit) {
            texts = texts.subList(0, limit);
        }
        int maxTokens = Integer.parseInt(bundle.manifest().training().getOrDefault("max_tokens", "0"));
        LanguageModelEvaluation evaluation = LanguageModelEvaluation.of(bundle.input().embedding(), bundle.stack(),
                bundle.output(), LanguageModelRecipe.sequences(bundle.input().tokenizer(),
                        texts.stream().map(LabelledText::text).toList(), maxTokens));
        out.printf(Locale.ROOT, "model %s %s, data %s (%s, %d texts, the first %s tokens of each)%n",
                bundle.manifest().name(), bundle.manifest().version(), data, split, texts.size(),
                maxTokens == 0 ? "all" : Integer.toString(maxTokens));
        out.printf(Locale.ROOT, "perplexity %.2f (%,d predicted tokens, cross-entropy %.4f nats per token)%n",
                evaluation.perplexity(), evaluation.tokens(), evaluation.crossEntropy() / evaluation.tokens());
        out.flush();
        return Main.OK;
    }

    private int evaluateTranslator(TranslatorBundle bundle) throws IOException {
        Path referenceFile = references != null ? references
                : data.resolveSibling(data.getFileName().toString().replace(".de", ".en"));
        List<ParallelCorpus.Pair> pairs = ParallelCorpus.read(data, referenceFile);
        if (limit > 0 && pairs.size() > limit) {
            pairs = pairs.subList(0, limit);
        }
        DecodingSettings settings = DecodingSettings.recordedIn(bundle.manifest().metrics());
        if (beam > 0) {
            settings = settings.withBeamWidth(beam);
        }
        if (lengthPenalty >= 0) {
            settings = settings.withLengthPenalty(lengthPenalty);
        }
        CorpusBleu.Result bleu;
        List<String> translations;
        try (Translator translator = new Translator(bundle.translator(), bundle.sourceTokenizer(),
                bundle.targetTokenizer(), settings)) {
            translations = translator.translate(pairs.stream().map(ParallelCorpus.Pair::source).toList());
            bleu = CorpusBleu.score(translations, pairs.stream().map(ParallelCorpus.Pair::target).toList());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s %s, data %s against %s (%d sentences), beam %d, length penalty %.2f%n",
                bundle.manifest().name(), bundle.manifest().version(), data, referenceFile, pairs.size(),
                settings.beamWidth(), settings.lengthPenalty());
        out.printf(Locale.ROOT, "BLEU %.2f (sacreBLEU default: 13a, mixed case, exp smoothing; BP %.3f, "
                + "hypothesis %d tokens, reference %d)%n", bleu.score(), bleu.brevityPenalty(), bleu.hypothesisLength(),
                bleu.referenceLength());
        if (predictions != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("source", pairs.get(i).source());
                row.put("reference", pairs.get(i).target());
                row.put("translation", translations.get(i));
                rows.add(row);
            }
            PredictionsFile.write(predictions, rows);
            out.printf(Locale.ROOT, "wrote %s%n", predictions);
        }
        out.flush();
        return Main.OK;
    }

    private List<LabelledText> select(List<LabelledText> texts, Map<String, String> provenance) {
        if ("all".equals(split)) {
            return texts;
        }
        if (!"dev".equals(split) && !"train".equals(split)) {
            throw new ParameterException(spec.commandLine(), "--split must be all, dev or train, was " + split);
        }
        LabelledText.Split parts = LabelledFiles.recordedSplit(texts, provenance).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--split " + split + ": the manifest records no split "
                        + "(dev_fraction, split_seed); evaluate the dev file with --split all"));
        return "dev".equals(split) ? parts.dev() : parts.train();
    }
}
