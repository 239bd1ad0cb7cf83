package dev.qrnnstreams.streams;

import dev.qrnnstreams.nn.QrnnStateCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs to know: its topics, how it batches, what input it accepts and how long
 * idle keys keep their state. Immutable; changed copies come from the {@code withX} methods.
 *
 * @param inputTopic where {@code TextEvent}s arrive
 * @param classificationsTopic where classifier outputs go
 * @param translationsTopic where translator outputs go
 * @param deadLetterTopic where records that cannot be processed go, with the reason
 * @param maxBatchRecords buffered records that trigger a batched step
 * @param maxBatchLatency the longest a record waits in the buffer (wall clock)
 * @param limits the bounds on accepted inputs and on every write
 * @param idleTimeout a key's state is dropped after this long without a message
 * @param expiryScanInterval how often idle keys are looked for
 * @param statePrecision how the per-key QRNN state is stored
 * @param segmentMaxTokens the most source tokens a translator key's open segment holds; the record that
 *     takes it past them (or past {@link RecordLimits#textChars} characters) ends the segment
 * @param earlyCommits when a task that keeps up with its input asks for a commit before
 *     {@code commit.interval.ms}
 */
public record TopologySettings(String inputTopic, String classificationsTopic, String translationsTopic,
                               String deadLetterTopic, int maxBatchRecords, Duration maxBatchLatency,
                               RecordLimits limits, Duration idleTimeout, Duration expiryScanInterval,
                               QrnnStateCodec.Precision statePrecision, int segmentMaxTokens,
                               EarlyCommits earlyCommits) {

    /** Validates the fields. */
    public TopologySettings {
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(classificationsTopic, "classificationsTopic");
        Objects.requireNonNull(translationsTopic, "translationsTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(statePrecision, "statePrecision");
        Objects.requireNonNull(limits, "limits");
        if (maxBatchRecords < 1 || segmentMaxTokens < 1) {
            throw new IllegalArgumentException("maxBatchRecords and segmentMaxTokens must be at least 1");
        }
        requirePositive(maxBatchLatency, "maxBatchLatency");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(expiryScanInterval, "expiryScanInterval");
        Objects.requireNonNull(earlyCommits, "earlyCommits");
    }

    /** The settings at the defaults {@link ServiceConfig} declares. */
    public static TopologySettings defaults() {
        return from(ServiceConfig.defaults());
    }

    /** The settings {@code config} declares. */
    public static TopologySettings from(ServiceConfig config) {
        return new TopologySettings(config.inputTopic(), config.classificationsTopic(), config.translationsTopic(),
                config.dlqTopic(), config.batchMaxRecords(), config.batchMaxLatency(), config.recordLimits(),
                config.stateIdleTimeout(), config.stateExpiryScanInterval(), config.statePrecision(),
                config.translationSegmentMaxTokens(), config.earlyCommits());
    }

    /** A copy with other topics. */
    public TopologySettings withTopics(String input, String classifications, String translations, String deadLetters) {
        return new TopologySettings(input, classifications, translations, deadLetters, maxBatchRecords,
                maxBatchLatency, limits, idleTimeout, expiryScanInterval, statePrecision, segmentMaxTokens,
                earlyCommits);
    }

    /** A copy with another batch size threshold. */
    public TopologySettings withMaxBatchRecords(int value) {
        return new TopologySettings(inputTopic, classificationsTopic, translationsTopic, deadLetterTopic, value,
                maxBatchLatency, limits, idleTimeout, expiryScanInterval, statePrecision, segmentMaxTokens,
                earlyCommits);
    }

    /** A copy with another maximum added latency. */
    public TopologySettings withMaxBatchLatency(Duration value) {
        return new TopologySettings(inputTopic, classificationsTopic, translationsTopic, deadLetterTopic,
                maxBatchRecords, value, limits, idleTimeout, expiryScanInterval, statePrecision, segmentMaxTokens,
                earlyCommits);
    }

    /** A copy with another text size limit. */
    public TopologySettings withMaxTextChars(int value) {
        return withLimits(limits.withTextChars(value));
    }

    /** A copy with other bounds. */
    public TopologySettings withLimits(RecordLimits value) {
        return new TopologySettings(inputTopic, classificationsTopic, translationsTopic, deadLetterTopic,
                maxBatchRecords, maxBatchLatency, value, idleTimeout, expiryScanInterval, statePrecision,
                segmentMaxTokens, earlyCommits);
    }

    /** A copy with another idle timeout and scan interval. */
    public TopologySettings withExpiry(Duration timeout, Duration scanInterval) {
        return new TopologySettings(inputTopic, classificationsTopic, translationsTopic, deadLetterTopic,
                maxBatchRecords, maxBatchLatency, limits, timeout, scanInterval, statePrecision, segmentMaxTokens,
                earlyCommits);
    }

    /** A copy with another state precision. */
    public TopologySettings withStatePrecision(QrnnStateCodec.Precision value) {
        return new TopologySettings(inputTopic, classificationsTopic, translationsTopic, deadLetterTopic,
                maxBatchRecords, maxBatchLatency, limits, idleTimeout, expiryScanInterval, value, segmentMaxTokens,
                earlyCommits);
    }

    /** A copy with another bound on a translator key's open segment. */
    public TopologySettings withSegmentMaxTokens(int value) {
        return new TopologySettings(inputTopic, classificationsTopic, translationsTopic, deadLetterTopic,
                maxBatchRecords, maxBatchLatency, limits, idleTimeout, expiryScanInterval, statePrecision, value,
                earlyCommits);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + duration);
        }
    }
}
