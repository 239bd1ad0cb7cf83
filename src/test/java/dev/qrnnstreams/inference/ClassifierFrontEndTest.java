package dev.qrnnstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.TernaryProjection;
import dev.qrnnstreams.text.BpeTrainer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both front ends give one row per token, token by token, so a text's rows are its messages' rows one
 * after the other; the projection front end's rows match a float64 reference.
 */
class ClassifierFrontEndTest {
    private static final ProjectionSpec SPEC = new ProjectionSpec(48, 2, 4, true);
    private static final String FIRST = "An <b>unforgettable</b>, luminous performance";
    private static final String SECOND = "-- and a dull script, SADLY.";

    private static ClassifierInput.Projected projected() {
        return new ClassifierInput.Projected(SPEC, DenseBottleneck.glorotUniform(48, 12, new SplittableRandom(3)));
    }

    @Test
    void shouldProjectEachPieceThroughTheBottleneckAsAFloat64ReferenceDoes() {
        ClassifierInput.Projected input = projected();
        String text = FIRST + " " + SECOND;

        InputRows rows = ClassifierFrontEnd.of(input).rows(text);

        List<long[]> pieces = SPEC.hasher().hash(text);
        float[] features = new TernaryProjection(48).project(pieces);
        float[] weights = input.bottleneck().weights();
        float[] bias = input.bottleneck().bias();
        double[] expected = new double[pieces.size() * 12];
        for (int t = 0; t < pieces.size(); t++) {
            for (int j = 0; j < 12; j++) {
                double z = bias[j];
                for (int i = 0; i < 48; i++) {
                    z += (double) features[t * 48 + i] * weights[i * 12 + j];
                }
                expected[t * 12 + j] = Math.tanh(z);
            }
        }
        assertThat(rows.tokens()).isEqualTo(pieces.size()).isGreaterThan(10);
        NumericAssertions.assertClose("projection rows", rows.values(), expected, 1e-5);
    }

    @Test
    void shouldGiveATextTheRowsOfItsMessagesOneAfterTheOther() {
        ClassifierInput.Embedded embedded = new ClassifierInput.Embedded(
                EmbeddingTable.gaussian(300, 6, 0.1, new SplittableRandom(1)),
                BpeTrainer.builder().vocabularySize(300).build().train(List.of(FIRST, SECOND)));
        for (ClassifierInput input : List.of(embedded, projected())) {
            ClassifierFrontEnd frontEnd = ClassifierFrontEnd.of(input);

            InputRows whole = frontEnd.rows(FIRST + " " + SECOND);
            InputRows parts = InputRows.concat(List.of(frontEnd.rows(FIRST), frontEnd.rows(SECOND)));

            assertThat(parts.tokens()).as(input.getClass().getSimpleName()).isEqualTo(whole.tokens());
            assertThat(parts.values()).as(input.getClass().getSimpleName()).containsExactly(whole.values());
        }
    }
}
