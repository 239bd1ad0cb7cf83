package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Guards the token-to-vector lookup that feeds every text model. */
class EmbeddingTableTest {
    private final EmbeddingTable table = EmbeddingTable.gaussian(5, 3, 1.0, new SplittableRandom(7));

    @Test
    void shouldReturnTheRowOfEachTokenInOrder() {
        float[] vectors = table.vectors();
        float[] looked = table.lookup(new int[] {4, 0, 4});
        assertThat(Arrays.copyOfRange(looked, 0, 3)).containsExactly(Arrays.copyOfRange(vectors, 12, 15));
        assertThat(Arrays.copyOfRange(looked, 3, 6)).containsExactly(Arrays.copyOfRange(vectors, 0, 3));
        assertThat(Arrays.copyOfRange(looked, 6, 9)).containsExactly(Arrays.copyOfRange(vectors, 12, 15));
    }

    @Test
    void shouldReturnNoValuesForNoTokens() {
        assertThat(table.lookup(new int[0])).isEmpty();
    }

    @Test
    void shouldRejectTokenIdsOutsideTheVocabulary() {
        assertThatThrownBy(() -> table.lookup(new int[] {1, 5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 5 at position 1");
        assertThatThrownBy(() -> table.lookup(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectATableOfTheWrongLength() {
        assertThatThrownBy(() -> new EmbeddingTable(2, 3, new float[5])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAddEachVectorGradientToTheRowOfItsToken() {
        float[] gradient = new float[5 * 3];

        table.accumulateGradient(new int[] {4, 1, 4}, new float[] {1, 2, 3, 10, 20, 30, 100, 200, 300}, gradient);

        assertThat(Arrays.copyOfRange(gradient, 12, 15)).containsExactly(101f, 202f, 303f);
        assertThat(Arrays.copyOfRange(gradient, 3, 6)).containsExactly(10f, 20f, 30f);
        assertThat(Arrays.copyOfRange(gradient, 0, 3)).containsOnly(0f);
    }
}
