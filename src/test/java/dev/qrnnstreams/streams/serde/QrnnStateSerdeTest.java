package dev.qrnnstreams.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Guards the state store's serde: exact float32 round trips, tombstones, and a clear error on bad bytes. */
class QrnnStateSerdeTest {
    private final QrnnStateSerde serde = new QrnnStateSerde(QrnnStateCodec.Precision.FLOAT32);

    @Test
    void shouldRoundTripAStateExactly() {
        QrnnStack stack = QrnnStack.glorotUniform(QrnnStackSpec.builder().inputSize(3).hiddenSize(4).layers(2)
                .window(3).dense(true).build(), new Random(1));
        QrnnState state;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            state = backend.step(stack, QrnnState.initial(stack), new float[] {1, 2, 3, -1, -2, -3}).state();
        }

        byte[] bytes = serde.serializer().serialize("store-changelog", state);

        assertThat(serde.deserializer().deserialize("store-changelog", bytes)).isEqualTo(state);
    }

    @Test
    void shouldMapNullToNullBothWays() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldFailWithTheCodecsReasonOnBytesThatAreNotAState() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("store-changelog", new byte[] {'Q', 'S', 9}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("store-changelog").hasMessageContaining("truncated");
    }
}
