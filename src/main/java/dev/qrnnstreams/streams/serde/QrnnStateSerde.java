package dev.qrnnstreams.streams.serde;

import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.nn.StateEncodingException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the per-key QRNN state store and its changelog: {@link QrnnStateCodec}'s versioned
 * encoding, in float32 or bfloat16. Reading accepts either precision; bytes that are not a state fail
 * with a {@link SerializationException} carrying the codec's reason.
 */
public final class QrnnStateSerde implements Serde<QrnnState> {
    private final QrnnStateCodec codec;

    /** A serde writing states in {@code precision}. */
    public QrnnStateSerde(QrnnStateCodec.Precision precision) {
        this.codec = new QrnnStateCodec(Objects.requireNonNull(precision, "precision"));
    }

    @Override
    public Serializer<QrnnState> serializer() {
        return (topic, state) -> state == null ? null : codec.encode(state);
    }

    @Override
    public Deserializer<QrnnState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return QrnnStateCodec.decode(bytes);
            } catch (StateEncodingException e) {
                throw new SerializationException("cannot read a QRNN state from " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
