package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Guards value semantics of {@link LayerState}, on which state comparisons and the codec tests rely. */
class LayerStateTest {

    @Test
    void shouldNotEqualWhenOnlyOneStateKeepsHiddenApartFromCell() {
        float[] cell = {0.5f, -0.25f};
        LayerState fPooling = LayerState.of(Pooling.F, cell, null, new float[] {1f});
        LayerState foPooling = LayerState.of(Pooling.FO, cell, cell, new float[] {1f});

        assertThat(fPooling).isNotEqualTo(foPooling);
        assertThat(fPooling).isEqualTo(LayerState.of(Pooling.F, cell, null, new float[] {1f}));
    }

    @Test
    void shouldReturnCopiesThatDoNotChangeTheState() {
        LayerState state = LayerState.of(Pooling.FO, new float[] {1f}, new float[] {2f}, new float[] {3f});
        state.cell()[0] = 9f;
        state.hidden()[0] = 9f;
        state.window()[0] = 9f;

        assertThat(state).isEqualTo(LayerState.of(Pooling.FO, new float[] {1f}, new float[] {2f}, new float[] {3f}));
    }
}
