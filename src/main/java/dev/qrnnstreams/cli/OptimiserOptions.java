package dev.qrnnstreams.cli;

import dev.qrnnstreams.train.AdamW;
import dev.qrnnstreams.train.LearningRateSchedule;
import dev.qrnnstreams.train.Optimiser;
import dev.qrnnstreams.train.RmsProp;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The optimiser and the learning-rate schedule, shared by the {@code train} subcommands that take them
 * (mixed in with picocli's {@code @Mixin}).
 */
public final class OptimiserOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--optimiser", defaultValue = "adam",
            description = "adam (AdamW, decoupled decay) or rmsprop. Default: ${DEFAULT-VALUE}.")
    private String optimiserName;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    private double learningRate;

    @Option(names = "--schedule", defaultValue = "cosine", converter = OptionConverters.Schedule.class,
            description = "Learning rate after the warm-up: constant, linear (to 0) or cosine (to 0). "
                    + "Default: ${DEFAULT-VALUE}.")
    private LearningRateSchedule.Shape schedule;

    @Option(names = "--warmup", defaultValue = "100",
            description = "Warm-up steps (linear from lr/warmup to lr). Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--weight-decay", defaultValue = "0",
            description = "Decoupled weight decay of the weight matrices. Default: ${DEFAULT-VALUE}.")
    private double weightDecay;

    @Option(names = "--clip", defaultValue = "5",
            description = "Largest global gradient norm; larger gradients are scaled down. Default: ${DEFAULT-VALUE}.")
    private double clip;

    /** A fresh optimiser as the options say. */
    public Optimiser optimiser() {
        return switch (optimiserName) {
            case "adam" -> AdamW.builder().weightDecay(weightDecay).clipNorm(clip).build();
            case "rmsprop" -> RmsProp.builder().weightDecay(weightDecay).clipNorm(clip).build();
            default -> throw new ParameterException(mixee.commandLine(),
                    "--optimiser must be adam or rmsprop, was " + optimiserName);
        };
    }

    /** The optimiser's name and settings, for a checkpoint key. */
    public String key() {
        return "optimiser=" + optimiserName + " weightDecay=" + weightDecay + " clip=" + clip;
    }

    /** The optimiser's name. */
    public String name() {
        return optimiserName;
    }

    /** The peak learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** The learning rate's shape after the warm-up. */
    public LearningRateSchedule.Shape schedule() {
        return schedule;
    }

    /** Warm-up steps. */
    public int warmup() {
        return warmup;
    }
}
