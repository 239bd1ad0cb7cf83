package dev.qrnnstreams.train;

import java.util.Objects;

/**
 * The learning rate as a function of the optimiser step: a linear warm-up from {@code peak / warmup}
 * to {@code peak} over the first {@code warmup} steps, then constant, linear decay to 0 or cosine
 * decay to 0 at step {@code total}:
 * <pre>
 *   step s (0-based) &lt; warmup:  peak * (s + 1) / warmup
 *   otherwise, p = (s - warmup) / (total - warmup), clamped to [0, 1]:
 *     CONSTANT  peak
 *     LINEAR    peak * (1 - p)
 *     COSINE    peak * (1 + cos(pi p)) / 2
 * </pre>
 *
 * @param shape what follows the warm-up
 * @param peak the learning rate at the end of the warm-up
 * @param warmup warm-up steps, at least 0
 * @param total steps of the whole run, more than {@code warmup}
 */
public record LearningRateSchedule(Shape shape, double peak, int warmup, long total) {

    /** What the schedule does after the warm-up. */
    public enum Shape {
        /** Stays at the peak. */
        CONSTANT,
        /** Falls linearly to 0 at the last step. */
        LINEAR,
        /** Falls along half a cosine to 0 at the last step (Loshchilov and Hutter 2017, without restarts). */
        COSINE
    }

    /** Validates the fields. */
    public LearningRateSchedule {
        Objects.requireNonNull(shape, "shape");
        if (!(peak > 0) || warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException("need a positive peak, warmup >= 0 and total > warmup; were " + peak
                    + ", " + warmup + ", " + total);
        }
    }

    /** The learning rate of 0-based step {@code step}. */
    public double rate(long step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double progress = Math.min(1.0, Math.max(0.0, (double) (step - warmup) / (total - warmup)));
        return switch (shape) {
            case CONSTANT -> peak;
            case LINEAR -> peak * (1 - progress);
            case COSINE -> peak * (1 + Math.cos(Math.PI * progress)) / 2;
        };
    }
}
