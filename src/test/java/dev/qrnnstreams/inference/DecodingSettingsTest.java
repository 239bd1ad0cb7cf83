package dev.qrnnstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodingSettingsTest {

    @Test
    void shouldReadBackTheSettingsItRecordsInAManifest() {
        DecodingSettings settings = new DecodingSettings(4, 0.7, 1.5, 120);

        assertThat(DecodingSettings.recordedIn(settings.asMetrics())).isEqualTo(settings);
    }

    @Test
    void shouldReadTheShippedTranslatorsRecordAndFallBackToGreedyForWhatIsAbsent() {
        assertThat(DecodingSettings.recordedIn(Map.of("beam_width", 5.0, "length_penalty", 0.6, "val_bleu", 33.0)))
                .isEqualTo(DecodingSettings.beam(5, 0.6));
        assertThat(DecodingSettings.recordedIn(Map.of())).isEqualTo(DecodingSettings.greedy());
    }

    @Test
    void shouldChangeOnlyTheNamedFieldInCopies() {
        DecodingSettings settings = DecodingSettings.beam(5, 0.6);

        assertThat(settings.withBeamWidth(2)).isEqualTo(DecodingSettings.beam(2, 0.6));
        assertThat(settings.withLengthPenalty(0.0)).isEqualTo(DecodingSettings.beam(5, 0.0));
    }
}
