package dev.qrnnstreams.cli;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.model.TranslatorManifest;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.report.ProgressBar;
import dev.qrnnstreams.train.TranslatorRecipe;
import dev.qrnnstreams.train.TranslatorTrainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train translator}: trains the QRNN German-English translator on Multi30k and writes its bundle
 * ({@link TranslatorRecipe}). Interrupted runs resume from the work directory when the same command is
 * run again. Shows a progress bar (loss, tokens per second, time left) and one line per epoch on standard
 * error; exits 0 on success.
 */
@Command(name = "translator", mixinStandardHelpOptions = true,
        description = "Train the QRNN encoder-decoder translator (German to English) on Multi30k and write its model "
                + "bundle. Resumes from --work when run again.")
public final class TrainTranslatorCommand implements Callable<Integer> {
    private static final long SEED = 7;
    private static final Path WORK = Path.of("target/train-translator");
    private static final Path OUTPUT = Path.of("models/multi30k-de-en");
    private static final String NAME = "multi30k-de-en";

    @Spec
    private CommandSpec commandSpec;

    @Mixin
    private TrainingOptions common;

    @Option(names = "--source-vocabulary", defaultValue = "6000",
            description = "German BPE vocabulary size (default: ${DEFAULT-VALUE}).")
    private int sourceVocabulary;

    @Option(names = "--target-vocabulary", defaultValue = "5000",
            description = "English BPE vocabulary size (default: ${DEFAULT-VALUE}).")
    private int targetVocabulary;

    @Option(names = "--emb", defaultValue = "128", description = "Embedding width (default: ${DEFAULT-VALUE}).")
    private int embedding;

    @Option(names = "--hidden", defaultValue = "128", description = "QRNN units per layer (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(names = "--layers", defaultValue = "2",
            description = "Layers of the encoder and of the decoder (default: ${DEFAULT-VALUE}).")
    private int layers;

    @Option(names = "--window", defaultValue = "2", description = "Convolution width k (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--zoneout", defaultValue = "0.0", description = "Zoneout probability (default: ${DEFAULT-VALUE}).")
    private double zoneout;

    @Option(names = "--dropout", defaultValue = "0.2",
            description = "Dropout of layer inputs and of the attentional output (default: ${DEFAULT-VALUE}).")
    private double dropout;

    @Option(names = "--batch", defaultValue = "64", description = "Sentence pairs per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.004",
            description = "Peak AdamW learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--final-lr", defaultValue = "0.0002",
            description = "Learning rate at the end of the cosine decay (default: ${DEFAULT-VALUE}).")
    private double finalLearningRate;

    @Option(names = "--warmup", defaultValue = "200", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--label-smoothing", defaultValue = "0.1",
            description = "Label smoothing epsilon (default: ${DEFAULT-VALUE}).")
    private double labelSmoothing;

    @Option(names = "--threads", defaultValue = "3",
            description = "Parallel parts per batch (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--dev-sentences", defaultValue = "300",
            description = "Val sentences scored with greedy search after each epoch (default: ${DEFAULT-VALUE}).")
    private int devSentences;

    @Option(names = "--beam", defaultValue = "5",
            description = "Beam width of the final evaluation (default: ${DEFAULT-VALUE}).")
    private int beam;

    @Option(names = "--length-penalty", defaultValue = "0.6",
            description = "Length penalty exponent of the final evaluation (default: ${DEFAULT-VALUE}).")
    private double lengthPenalty;

    @Option(names = "--note", defaultValue = "",
            description = "Free text recorded in the manifest's training.note (default: none).")
    private String note;

    /** The command with every option spelled out, as recorded in the manifest. */
    String commandLine() {
        return commandLine(common.dataDirectory(), common.checkpointDirectory(WORK), common.output(OUTPUT),
                common.epochs(), common.seed(SEED), common.name(NAME), common.modelVersion());
    }

    private String commandLine(Path dataDirectory, Path work, Path output, int epochs, long seed, String name,
                               String modelVersion) {
        return String.format(Locale.ROOT, "bin/qrnn train translator --data-dir %s --checkpoint-dir %s -o %s --source-vocabulary %d "
                + "--target-vocabulary %d --emb %d --hidden %d --layers %d --window %d --zoneout %s --dropout %s "
                + "--epochs %d --batch %d --lr %s --final-lr %s --warmup %d --label-smoothing %s "
                + "--threads %d --dev-sentences %d --seed %d --beam %d --length-penalty %s --name %s --model-version %s",
                dataDirectory, work, output, sourceVocabulary, targetVocabulary, embedding, hidden, layers, window, zoneout,
                dropout, epochs, batch, learningRate, finalLearningRate, warmup, labelSmoothing, threads, devSentences,
                seed, beam, lengthPenalty, name, modelVersion);
    }

    @Override
    public Integer call() throws Exception {
        int epochs = common.epochs();
        Path output = common.output(OUTPUT);
        TranslatorSpec architecture = new TranslatorSpec(sourceVocabulary, targetVocabulary, embedding, hidden, layers,
                window, zoneout, dropout);
        TranslatorTrainer.Settings settings = new TranslatorTrainer.Settings(epochs, batch, learningRate,
                finalLearningRate, warmup, labelSmoothing, threads, devSentences, common.seed(SEED));
        ProgressBar bar = ProgressBar.onStandardError(5);
        TranslatorManifest manifest = TranslatorRecipe.run(new TranslatorRecipe.Options(
                common.dataDirectory().resolve("multi30k/raw"), common.checkpointDirectory(WORK), output,
                sourceVocabulary, targetVocabulary, architecture, settings,
                DecodingSettings.beam(beam, lengthPenalty), common.name(NAME), common.modelVersion(),
                commandLine(), note), progress -> bar.update(
                        ((progress.epoch() - 1) + (double) progress.step() / progress.steps()) / epochs,
                        String.format(Locale.ROOT, "epoch %d/%d loss %.4f %.0f tokens/s", progress.epoch(), epochs,
                                progress.loss(), progress.tokensPerSecond())),
                line -> {
                    bar.clear();
                    commandSpec.commandLine().getErr().println(line);
                });
        bar.finish();
        commandSpec.commandLine().getOut().printf("wrote %s: val BLEU %.2f%n", output, manifest.metrics().get("val_bleu"));
        return 0;
    }
}
