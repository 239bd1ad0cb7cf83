package dev.qrnnstreams.cli;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The QRNN stack's hyper-parameters, shared by the {@code train} subcommands that build a stack from an
 * embedding (mixed in with picocli's {@code @Mixin}).
 */
public final class StackOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--emb", defaultValue = "64", description = "Embedding width. Default: ${DEFAULT-VALUE}.")
    private int embedding;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units per layer. Default: ${DEFAULT-VALUE}.")
    private int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "QRNN layers. Default: ${DEFAULT-VALUE}.")
    private int layers;

    @Option(names = "--window", defaultValue = "2", description = "Convolution width k. Default: ${DEFAULT-VALUE}.")
    private int window;

    @Option(names = "--pooling", defaultValue = "fo", converter = OptionConverters.PoolingName.class,
            description = "Pooling of every layer: f, fo or ifo. Default: ${DEFAULT-VALUE}.")
    private Pooling pooling;

    @Option(names = "--dense", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Densely connected layers (each sees the embedding and all earlier layers). "
                    + "Default: ${DEFAULT-VALUE}.")
    private boolean dense;

    @Option(names = "--zoneout", defaultValue = "0.1",
            description = "Zoneout probability on the forget gate. Default: ${DEFAULT-VALUE}.")
    private double zoneout;

    @Option(names = "--dropout", defaultValue = "0.2",
            description = "Dropout on each layer's input. Default: ${DEFAULT-VALUE}.")
    private double dropout;

    /** The stack these options describe, reading the embedding. */
    public QrnnStackSpec stack() {
        return stack(embedding);
    }

    /** The stack these options describe, reading {@code inputSize} values per token instead of the embedding. */
    public QrnnStackSpec stack(int inputSize) {
        return QrnnStackSpec.builder().inputSize(inputSize).hiddenSize(hidden).layers(layers).window(window)
                .pooling(pooling).dense(dense).zoneout(zoneout).dropout(dropout).build();
    }

    /**
     * {@code start} with the {@code --zoneout} and {@code --dropout} given on the command line in place of its
     * own; the ones not given stay {@code start}'s.
     */
    public QrnnStackSpec regularised(QrnnStackSpec start) {
        ParseResult given = mixee.commandLine().getParseResult();
        return start.withRegularisation(given.hasMatchedOption("--zoneout") ? zoneout : start.zoneout(),
                given.hasMatchedOption("--dropout") ? dropout : start.dropout());
    }
}
