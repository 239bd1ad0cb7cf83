package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Guards the parameter holders: {@link QrnnLayer} rejects weight and bias arrays whose lengths do not
 * match its spec and keeps its own copies; {@link QrnnStack} rejects layers whose shapes differ from
 * those its spec derives (count, input width, dense widening, pooling, window, regularisation).
 */
class QrnnConstructionTest {
    private static final QrnnLayerSpec LAYER = QrnnLayerSpec.builder()
            .inputSize(3).hiddenSize(4).window(2).pooling(Pooling.IFO).build();
    private static final int WEIGHTS = 6 * 16;
    private static final int BIAS = 16;

    @Test
    void shouldRejectWeightsWhenLengthDoesNotMatchSpec() {
        for (int length : new int[] {0, WEIGHTS - 1, WEIGHTS + 1, 6 * 12}) {
            assertThatThrownBy(() -> new QrnnLayer(LAYER, new float[length], new float[BIAS]))
                    .as("%d weights", length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("weights must have " + WEIGHTS);
        }
    }

    @Test
    void shouldRejectBiasWhenLengthDoesNotMatchSpec() {
        for (int length : new int[] {0, BIAS - 1, BIAS + 1, 4}) {
            assertThatThrownBy(() -> new QrnnLayer(LAYER, new float[WEIGHTS], new float[length]))
                    .as("%d bias values", length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bias must have " + BIAS);
        }
    }

    @Test
    void shouldRejectNullParameters() {
        assertThatThrownBy(() -> new QrnnLayer(null, new float[WEIGHTS], new float[BIAS]))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new QrnnLayer(LAYER, null, new float[BIAS]))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new QrnnLayer(LAYER, new float[WEIGHTS], null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldKeepOwnCopiesOfParameters() {
        float[] weights = new float[WEIGHTS];
        float[] bias = new float[BIAS];
        weights[5] = 1f;
        bias[3] = 2f;
        QrnnLayer layer = new QrnnLayer(LAYER, weights, bias);

        weights[5] = 9f;
        bias[3] = 9f;
        layer.packedWeights()[5] = 9f;
        layer.bias()[3] = 9f;

        assertThat(layer.packedWeights()[5]).isEqualTo(1f);
        assertThat(layer.bias()[3]).isEqualTo(2f);
    }

    @Test
    void shouldDrawGlorotWeightsWithinLimitAndZeroBias() {
        QrnnLayer layer = QrnnLayer.glorotUniform(LAYER, new Random(4));
        double limit = Math.sqrt(6.0 / (LAYER.convolutionRows() + LAYER.hiddenSize()));

        float[] weights = layer.packedWeights();
        assertThat(weights).hasSize(WEIGHTS);
        for (float w : weights) {
            assertThat((double) Math.abs(w)).isLessThanOrEqualTo(limit);
        }
        assertThat(layer.bias()).containsOnly(0f);
    }

    @Test
    void shouldAcceptLayersWhenShapesMatchDenseSpec() {
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(3).hiddenSize(4).layers(3).dense(true).build();

        QrnnStack stack = new QrnnStack(spec, glorot(spec.layerSpecs()));

        assertThat(stack.layers()).hasSize(3);
        assertThat(stack.inputSize()).isEqualTo(3);
        assertThat(stack.outputSize()).isEqualTo(4);
        assertThat(stack.layer(2).spec().inputSize()).isEqualTo(3 + 2 * 4);
    }

    @Test
    void shouldRejectLayersWhenCountDiffers() {
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(3).hiddenSize(4).layers(2).build();
        List<QrnnLayerSpec> specs = spec.layerSpecs();

        assertRejected(spec, List.of(specs.get(0)));
        assertRejected(spec, List.of(specs.get(0), specs.get(1), specs.get(1)));
        assertRejected(spec, List.of());
    }

    @Test
    void shouldRejectLayersWhenAShapeDiffersFromTheSpec() {
        QrnnStackSpec dense = QrnnStackSpec.builder().inputSize(3).hiddenSize(4).layers(2).dense(true).build();
        QrnnStackSpec plain = QrnnStackSpec.builder().inputSize(3).hiddenSize(4).layers(2).build();
        QrnnLayerSpec first = plain.layerSpecs().get(0);
        QrnnLayerSpec second = plain.layerSpecs().get(1);

        assertRejected(dense, plain.layerSpecs());
        assertRejected(plain, dense.layerSpecs());
        assertRejected(plain, List.of(first.withInputSize(2), second));
        assertRejected(plain, List.of(first, new QrnnLayerSpec(4, 5, 2, Pooling.FO, 0, 0)));
        assertRejected(plain, List.of(first, new QrnnLayerSpec(4, 4, 3, Pooling.FO, 0, 0)));
        assertRejected(plain, List.of(first, new QrnnLayerSpec(4, 4, 2, Pooling.IFO, 0, 0)));
        assertRejected(plain, List.of(first, new QrnnLayerSpec(4, 4, 2, Pooling.FO, 0.1, 0)));
    }

    private static List<QrnnLayer> glorot(List<QrnnLayerSpec> specs) {
        Random random = new Random(7);
        List<QrnnLayer> layers = new ArrayList<>();
        for (QrnnLayerSpec spec : specs) {
            layers.add(QrnnLayer.glorotUniform(spec, random));
        }
        return layers;
    }

    private static void assertRejected(QrnnStackSpec spec, List<QrnnLayerSpec> layerSpecs) {
        List<QrnnLayer> layers = glorot(layerSpecs);
        assertThatThrownBy(() -> new QrnnStack(spec, layers))
                .as("layers %s for %s", layerSpecs, spec)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not match");
    }
}
