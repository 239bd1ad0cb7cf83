package dev.qrnnstreams.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code qrnn train}: the parent of one subcommand per kind of model (registered in {@link Main}). */
@Command(name = "train", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "MODEL",
        description = "Train a model from the data in the data directory and write its bundle.")
public final class TrainCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Without a subcommand: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name the kind of model to train");
    }
}
