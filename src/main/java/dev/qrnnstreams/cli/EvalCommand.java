package dev.qrnnstreams.cli;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.ClassifierEvaluation;
import dev.qrnnstreams.train.ClassifierRecipe;
import dev.qrnnstreams.train.CorpusBleu;
import dev.qrnnstreams.train.LabelledText;
import dev.qrnnstreams.train.ParallelCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qrnn eval}: measures a model bundle on a data file. The bundle's manifest names its task,
 * and {@link #call()} dispatches on it: a classifier reports accuracy (on the whole texts and on
 * prefixes of them), a translator corpus BLEU against reference translations.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model bundle on a data file.",
            "classifier bundles: accuracy on an SST-2 TSV or IMDb TSV.GZ file (--split dev reproduces the",
            "IMDb dev set the model was chosen on, from the split recorded in its manifest)."})
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

    @Option(names = "--format", converter = OptionConverters.Dataset.class,
            description = "Classifier data format: sst2 (TSV: sentence, label) or imdb (gzip TSV: id, label, rating, "
                    + "text). Default: imdb for *.gz files, sst2 otherwise.")
    private ClassificationDataset format;

    @Option(names = "--split", defaultValue = "all",
            description = "all: every text of the file; dev or train: that part of the split recorded in the "
                    + "manifest (IMDb). Default: ${DEFAULT-VALUE}.")
    private String split;

    @Option(names = "--limit", defaultValue = "0",
            description = "Evaluate only the first N texts (0: all). Default: ${DEFAULT-VALUE}.")
    private int limit;

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
        throw new ParameterException(spec.commandLine(), model + " holds a '" + task + "' model, which eval cannot "
                + "evaluate");
    }

    private int evaluateClassifier(ClassifierBundle bundle) throws IOException {
        ClassificationDataset dataFormat = format != null ? format
                : data.getFileName().toString().endsWith(".gz") ? ClassificationDataset.IMDB : ClassificationDataset.SST2;
        List<LabelledText> texts = select(dataFormat.read(data), bundle.manifest().data());
        if (limit > 0 && texts.size() > limit) {
            texts = texts.subList(0, limit);
        }
        ClassifierEvaluation evaluation = ClassifierEvaluation.of(bundle.embedding(), bundle.stack(), bundle.head(),
                bundle.tokenizer(), texts, ClassifierRecipe.PREFIX_FRACTIONS);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s %s, data %s (%s, %d texts)%n", bundle.manifest().name(),
                bundle.manifest().version(), data, split, evaluation.texts());
        out.printf(Locale.ROOT, "accuracy %.4f%n", evaluation.accuracy());
        for (int f = 0; f < evaluation.fractions().size(); f++) {
            out.printf(Locale.ROOT, "accuracy after %3.0f%% of the tokens %.4f%n", evaluation.fractions().get(f) * 100,
                    evaluation.prefixAccuracies().get(f));
        }
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
        Map<String, Double> recorded = bundle.manifest().metrics();
        DecodingSettings settings = new DecodingSettings(
                beam > 0 ? beam : recorded.getOrDefault("beam_width", 1.0).intValue(),
                lengthPenalty >= 0 ? lengthPenalty : recorded.getOrDefault("length_penalty", 0.0),
                recorded.getOrDefault("max_length_ratio", 2.0), recorded.getOrDefault("max_length", 256.0).intValue());
        CorpusBleu.Result bleu;
        try (Translator translator = new Translator(bundle.translator(), bundle.sourceTokenizer(),
                bundle.targetTokenizer(), settings)) {
            bleu = CorpusBleu.score(translator.translate(pairs.stream().map(ParallelCorpus.Pair::source).toList()),
                    pairs.stream().map(ParallelCorpus.Pair::target).toList());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s %s, data %s against %s (%d sentences), beam %d, length penalty %.2f%n",
                bundle.manifest().name(), bundle.manifest().version(), data, referenceFile, pairs.size(),
                settings.beamWidth(), settings.lengthPenalty());
        out.printf(Locale.ROOT, "BLEU %.2f (sacreBLEU default: 13a, mixed case, exp smoothing; BP %.3f, "
                + "hypothesis %d tokens, reference %d)%n", bleu.score(), bleu.brevityPenalty(), bleu.hypothesisLength(),
                bleu.referenceLength());
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
        String fraction = provenance.get("dev_fraction");
        String seed = provenance.get("split_seed");
        if (fraction == null || seed == null) {
            throw new ParameterException(spec.commandLine(), "--split " + split + ": the manifest records no split "
                    + "(dev_fraction, split_seed); evaluate the dev file with --split all");
        }
        LabelledText.Split parts = LabelledText.split(texts, Double.parseDouble(fraction), Long.parseLong(seed));
        return "dev".equals(split) ? parts.dev() : parts.train();
    }
}
