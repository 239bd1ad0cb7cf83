package dev.qrnnstreams.inference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link Translator} searches for a translation.
 *
 * <p>Beam search keeps the {@code beamWidth} best partial hypotheses per sentence (width 1 is greedy
 * search). A finished hypothesis of {@code n} tokens (EOS included) with log-probability {@code s} is
 * ranked by {@code s / lp(n)}, the length penalty of Wu et al. 2016 (GNMT),
 * {@code lp(n) = ((5 + n) / 6)^lengthPenalty}; 0 ranks by raw log-probability, larger values favour
 * longer output. A sentence's search ends when it has {@code beamWidth} finished hypotheses or its
 * hypotheses reach the maximum length, {@code min(maxLength, ceil(maxLengthRatio * S) + 10)} target
 * tokens for S source tokens; hypotheses cut off there count as finished.
 *
 * @param beamWidth hypotheses kept per sentence, at least 1
 * @param lengthPenalty the exponent of the length penalty, at least 0
 * @param maxLengthRatio target tokens allowed per source token, positive
 * @param maxLength the hard cap on target tokens, at least 1
 */
public record DecodingSettings(int beamWidth, double lengthPenalty, double maxLengthRatio, int maxLength) {
    private static final String BEAM_WIDTH = "beam_width";
    private static final String LENGTH_PENALTY = "length_penalty";
    private static final String MAX_LENGTH_RATIO = "max_length_ratio";
    private static final String MAX_LENGTH = "max_length";

    /** Validates the fields. */
    public DecodingSettings {
        if (beamWidth < 1 || maxLength < 1 || !(lengthPenalty >= 0) || !(maxLengthRatio > 0)) {
            throw new IllegalArgumentException("beamWidth and maxLength must be at least 1, lengthPenalty at least 0 "
                    + "and maxLengthRatio positive");
        }
    }

    /** Greedy search: width 1, no length penalty, 2 target tokens per source token, at most 256. */
    public static DecodingSettings greedy() {
        return new DecodingSettings(1, 0.0, 2.0, 256);
    }

    /** Beam search of the given width and length penalty, other limits as {@link #greedy()}. */
    public static DecodingSettings beam(int width, double lengthPenalty) {
        return new DecodingSettings(width, lengthPenalty, 2.0, 256);
    }

    /**
     * The settings a translator bundle's manifest records in its {@code metrics} (those its BLEU was
     * measured with): the one home of a shipped model's decoding, for the service, {@code eval} and
     * training alike. A metric that is absent takes its {@link #greedy()} value.
     */
    public static DecodingSettings recordedIn(Map<String, Double> metrics) {
        DecodingSettings greedy = greedy();
        return new DecodingSettings(metrics.getOrDefault(BEAM_WIDTH, (double) greedy.beamWidth).intValue(),
                metrics.getOrDefault(LENGTH_PENALTY, greedy.lengthPenalty),
                metrics.getOrDefault(MAX_LENGTH_RATIO, greedy.maxLengthRatio),
                metrics.getOrDefault(MAX_LENGTH, (double) greedy.maxLength).intValue());
    }

    /** These settings as the manifest metrics that {@link #recordedIn} reads back. */
    public Map<String, Double> asMetrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(MAX_LENGTH_RATIO, maxLengthRatio);
        metrics.put(MAX_LENGTH, (double) maxLength);
        metrics.put(BEAM_WIDTH, (double) beamWidth);
        metrics.put(LENGTH_PENALTY, lengthPenalty);
        return metrics;
    }

    /** A copy searching with {@code width} hypotheses per sentence. */
    public DecodingSettings withBeamWidth(int width) {
        return new DecodingSettings(width, lengthPenalty, maxLengthRatio, maxLength);
    }

    /** A copy ranking finished hypotheses with length penalty {@code penalty}. */
    public DecodingSettings withLengthPenalty(double penalty) {
        return new DecodingSettings(beamWidth, penalty, maxLengthRatio, maxLength);
    }

    /** A copy with another hard cap on target tokens. */
    public DecodingSettings withMaxLength(int value) {
        return new DecodingSettings(beamWidth, lengthPenalty, maxLengthRatio, value);
    }

    /** The most target tokens for a source of {@code sourceLength} tokens. */
    public int maxTargetLength(int sourceLength) {
        return (int) Math.min(maxLength, Math.ceil(maxLengthRatio * sourceLength) + 10);
    }

    /** {@code lp(n)}. */
    double penalty(int length) {
        return lengthPenalty == 0 ? 1.0 : Math.pow((5.0 + length) / 6.0, lengthPenalty);
    }
}
