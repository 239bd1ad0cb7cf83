package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the validation of hyper-parameters and states: the layer and stack builders reject sizes below
 * 1 and probabilities outside [0, 1) (NaN included), and states reject impossible shapes.
 */
class SpecValidationTest {

    @Test
    void shouldBuildLayerSpecWithDefaultsWhenValuesAreValid() {
        QrnnLayerSpec spec = QrnnLayerSpec.builder().inputSize(3).hiddenSize(5).build();

        assertThat(spec).isEqualTo(new QrnnLayerSpec(3, 5, 2, Pooling.FO, 0.0, 0.0));
        assertThat(spec.convolutionRows()).isEqualTo(6);
        assertThat(spec.convolutionColumns()).isEqualTo(15);
        assertThat(spec.carriedInputs()).isEqualTo(1);
    }

    @Test
    void shouldRejectLayerSpecWhenASizeIsBelowOne() {
        assertRejected(b -> b.hiddenSize(0), "hiddenSize");
        assertRejected(b -> b.hiddenSize(-3), "hiddenSize");
        assertRejected(b -> b.inputSize(0), "inputSize");
        assertRejected(b -> b.window(0), "window");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1.5, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
    void shouldRejectLayerSpecWhenAProbabilityIsOutsideZeroToOne(double probability) {
        assertRejected(b -> b.zoneout(probability), "zoneout");
        assertRejected(b -> b.dropout(probability), "dropout");
    }

    @Test
    void shouldAcceptProbabilitiesJustBelowOne() {
        QrnnLayerSpec spec = QrnnLayerSpec.builder().inputSize(1).hiddenSize(1).zoneout(0.999).dropout(0.999).build();

        assertThat(spec.zoneout()).isEqualTo(0.999);
        assertThat(spec.dropout()).isEqualTo(0.999);
    }

    @Test
    void shouldRejectLayerSpecWhenPoolingIsNull() {
        assertThatThrownBy(() -> QrnnLayerSpec.builder().inputSize(1).hiddenSize(1).pooling(null).build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldGiveEachLayerItsOwnPoolingWhenSetPerLayer() {
        QrnnStackSpec spec = stack().layers(3).pooling(Pooling.F).pooling(2, Pooling.IFO).build();

        assertThat(spec.layerSpecs()).extracting(QrnnLayerSpec::pooling)
                .containsExactly(Pooling.F, Pooling.F, Pooling.IFO);
        assertThatThrownBy(() -> stack().layers(2).pooling(2, Pooling.F).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 2 of 2");
    }

    @Test
    void shouldRejectStackSpecWhenAnyValueIsInvalid() {
        assertThatThrownBy(() -> stack().layers(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layers");
        assertThatThrownBy(() -> stack().hiddenSize(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hiddenSize");
        assertThatThrownBy(() -> stack().inputSize(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputSize");
        assertThatThrownBy(() -> stack().window(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
        assertThatThrownBy(() -> stack().zoneout(1.0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zoneout");
        assertThatThrownBy(() -> stack().dropout(Double.NaN).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropout");
        assertThatThrownBy(() -> stack().pooling(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldWidenLayerInputsWhenStackIsDense() {
        QrnnStackSpec dense = stack().inputSize(3).hiddenSize(5).layers(3).dense(true).build();
        QrnnStackSpec plain = stack().inputSize(3).hiddenSize(5).layers(3).build();

        assertThat(dense.layerSpecs()).extracting(QrnnLayerSpec::inputSize).containsExactly(3, 8, 13);
        assertThat(plain.layerSpecs()).extracting(QrnnLayerSpec::inputSize).containsExactly(3, 5, 5);
    }

    @Test
    void shouldRejectStateWhenItHasNoLayersOrNegativeTokenCount() {
        LayerState layer = LayerState.of(Pooling.FO, new float[2], new float[2], new float[0]);

        assertThatThrownBy(() -> new QrnnState(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QrnnState(List.of(layer), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectLayerStateWhenHiddenAndCellDifferInLength() {
        assertThatThrownBy(() -> LayerState.of(Pooling.IFO, new float[3], new float[2], new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectStepResultWhenOutputsDoNotHoldWholeTimesteps() {
        QrnnState state = new QrnnState(List.of(LayerState.of(Pooling.F, new float[1], null, new float[0])), 0);

        assertThatThrownBy(() -> new StepResult(new float[5], 2, state)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepResult(new float[1], 0, state)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepResult(new float[0], -1, state)).isInstanceOf(IllegalArgumentException.class);
    }

    private static QrnnStackSpec.Builder stack() {
        return QrnnStackSpec.builder().inputSize(2).hiddenSize(2);
    }

    private static void assertRejected(UnaryOperator<QrnnLayerSpec.Builder> change, String field) {
        QrnnLayerSpec.Builder builder = change.apply(QrnnLayerSpec.builder().inputSize(2).hiddenSize(2));
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field);
    }
}
