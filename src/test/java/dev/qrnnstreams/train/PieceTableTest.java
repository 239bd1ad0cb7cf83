package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.TernaryProjection;
import org.junit.jupiter.api.Test;

/** The training-time dictionary gives each piece one id and the row the served projection computes. */
class PieceTableTest {
    private static final ProjectionSpec SPEC = new ProjectionSpec(40, 2, 4, true);

    @Test
    void shouldGiveARepeatedPieceTheSameIdAndCaseFoldedPiecesOneId() {
        PieceTable table = new PieceTable(SPEC);

        int[] ids = table.ids("The film, the FILM!");

        assertThat(ids).hasSize(6);
        assertThat(ids[0]).isEqualTo(ids[3]);
        assertThat(ids[1]).isEqualTo(ids[4]);
        assertThat(table.size()).isEqualTo(4);
    }

    @Test
    void shouldHoldTheRowsThatTheProjectionComputesForEachPiece() {
        PieceTable table = new PieceTable(SPEC);
        String text = "An unforgettable, luminous performance -- and a dull script.";

        float[] rows = table.rows(table.ids(text));

        float[] expected = new TernaryProjection(SPEC.features()).project(SPEC.hasher().hash(text));
        assertThat(rows).containsExactly(expected);
    }

    @Test
    void shouldRejectAnIdItHasNotGiven() {
        PieceTable table = new PieceTable(SPEC);
        table.ids("one two");

        assertThatThrownBy(() -> table.rows(new int[] {2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("piece id 2");
    }
}
