package dev.qrnnstreams.cli;

import dev.qrnnstreams.report.ProgressBar;
import dev.qrnnstreams.train.ClassifierTrainer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a text model's training run proceeds and reports, shared by {@code train classifier} and
 * {@code train lm} (mixed in with picocli's {@code @Mixin}): batch size, checkpoints and resuming, the
 * progress bar, and the command line recorded in the manifest.
 */
public final class RunOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--batch", defaultValue = "32", description = "Texts per step. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(names = "--checkpoint-minutes", defaultValue = "10",
            description = "Minutes between checkpoints within an epoch (one is also written after every epoch). "
                    + "Default: ${DEFAULT-VALUE}.")
    private double checkpointMinutes;

    @Option(names = "--resume", description = "Continue the run saved in --checkpoint-dir (same options required).")
    private boolean resume;

    @Option(names = "--progress-every", defaultValue = "5",
            description = "When standard error is not a terminal: a progress line every this many percent. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int progressEvery;

    /** Texts per optimiser step. */
    public int batch() {
        return batch;
    }

    /** The least time between two checkpoints within an epoch. */
    public Duration checkpointInterval() {
        return Duration.ofMillis(Math.round(checkpointMinutes * 60_000));
    }

    /** Whether to continue the run saved in the checkpoint directory. */
    public boolean resume() {
        return resume;
    }

    /** A progress bar on standard error, as {@code --progress-every} says. */
    public ProgressBar progressBar() {
        return ProgressBar.onStandardError(progressEvery);
    }

    /** A listener that shows each batch's progress (epoch, loss, tokens/s, learning rate) on {@code bar}. */
    public static ClassifierTrainer.Listener batches(ProgressBar bar) {
        return new ClassifierTrainer.Listener() {
            @Override
            public void batch(ClassifierTrainer.Progress progress) {
                showBatch(bar, progress);
            }
        };
    }

    /** Shows one batch's progress on {@code bar}. */
    public static void showBatch(ProgressBar bar, ClassifierTrainer.Progress progress) {
        bar.update(progress.fractionDone(), String.format(Locale.ROOT, "epoch %d/%d loss %.4f %,.0f tokens/s lr %.2e",
                progress.epoch(), progress.epochs(), progress.meanLoss(), progress.tokensPerSecond(),
                progress.learningRate()));
    }

    /** A log that clears {@code bar} and prints each line to {@code out}. */
    public static Consumer<String> lines(ProgressBar bar, PrintWriter out) {
        return line -> {
            bar.clear();
            out.println(line);
            out.flush();
        };
    }

    /** The command as run, {@code bin/qrnn} and its arguments quoted for a POSIX shell, for the manifest. */
    public String commandLine() {
        return "bin/qrnn " + String.join(" ", mixee.commandLine().getParseResult().originalArgs().stream()
                .map(RunOptions::shellWord).toList());
    }

    /** {@code word} as a POSIX shell reads it back: single-quoted when it holds anything but plain characters. */
    static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./=:,+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
