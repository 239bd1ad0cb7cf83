package dev.qrnnstreams.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code qrnn} command (run through {@code bin/qrnn}): the only {@code main} of the project.
 *
 * <p>Every subcommand is registered in {@link #commandLine()}, and nowhere else.
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILED} the command ran and failed (unreadable data, a
 * bad model bundle, an I/O error), with the reason on standard error; {@value #USAGE} the command line
 * was wrong (unknown option, missing or invalid value), with the usage on standard error.
 */
@Command(name = "qrnn", mixinStandardHelpOptions = true, version = "qrnn-streams 0.1.0",
        description = "Quasi-recurrent neural networks over text streams: train, evaluate and run models.",
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {
    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code of a command that ran and failed. */
    public static final int FAILED = 1;
    /** Exit code of a wrong command line. */
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** Runs the command line {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The {@code qrnn} command with every subcommand registered, ready to {@code execute}. */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Main());
        root.addSubcommand(new CommandLine(new TrainCommand())
                .addSubcommand(new TrainClassifierCommand())
                .addSubcommand(new TrainLanguageModelCommand())
                .addSubcommand(new TrainTranslatorCommand()));
        root.addSubcommand(new EvalCommand());
        root.addSubcommand(new RunCommand());
        root.addSubcommand(new DemoCommand());
        root.addSubcommand(new BenchCommand());
        root.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText(
                    commandLine.getCommandName() + ": " + message(exception)));
            return FAILED;
        });
        return root;
    }

    /** Without a subcommand: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    private static String message(Throwable exception) {
        String message = exception.getMessage();
        return message == null ? exception.toString() : message;
    }
}
