package dev.qrnnstreams.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every {@code train} subcommand shares, mixed in with picocli's {@code @Mixin}: where the
 * data lies, where the bundle and the checkpoints go, the seed, the number of epochs, and the model's name
 * and version. Where the kinds of model differ in a default (seed, output, checkpoint directory, name),
 * the option has none here and the command passes its own to the accessor.
 */
public final class TrainingOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--data-dir", defaultValue = "../shared/data",
            description = "The shared data directory (see its README). Default: ${DEFAULT-VALUE}.")
    private Path dataDirectory;

    @Option(names = {"-o", "--output"},
            description = "Bundle directory to write. Default: the command's (the classifier has none: required).")
    private Path output;

    @Option(names = "--checkpoint-dir",
            description = "Work directory for the tokenizers and checkpoints, from which a run resumes. "
                    + "Default: the command's (classifier: target/checkpoints/<name>; translator: "
                    + "target/train-translator).")
    private Path checkpointDirectory;

    @Option(names = "--seed",
            description = "Seed of every random choice: initialisation, shuffling, dropout, zoneout. "
                    + "Default: the command's (classifier 2017, translator 7).")
    private Long seed;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    private int epochs;

    @Option(names = "--name", description = "Model name in the manifest. Default: the command's "
            + "(classifier: <dataset>-qrnn; translator: multi30k-de-en).")
    private String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version. Default: ${DEFAULT-VALUE}.")
    private String modelVersion;

    /** The data directory. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The bundle directory given, or {@code fallback}; a usage error when neither is there. */
    public Path output(Path fallback) {
        if (output == null && fallback == null) {
            throw new ParameterException(mixee.commandLine(), "Missing required option: '--output=<output>'");
        }
        return output != null ? output : fallback;
    }

    /** The checkpoint directory given, or {@code fallback}. */
    public Path checkpointDirectory(Path fallback) {
        return checkpointDirectory != null ? checkpointDirectory : fallback;
    }

    /** The seed given, or {@code fallback}. */
    public long seed(long fallback) {
        return seed != null ? seed : fallback;
    }

    /** The number of epochs. */
    public int epochs() {
        return epochs;
    }

    /** The model name given, or {@code fallback}. */
    public String name(String fallback) {
        return name != null ? name : fallback;
    }

    /** The model version. */
    public String modelVersion() {
        return modelVersion;
    }
}
