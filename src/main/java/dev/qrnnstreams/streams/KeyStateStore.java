package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.internal.KeyState;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.nn.StateEncodingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the per-key model state: the persistent changelogged store, its key (model name
 * and stream key, so one key may feed several models), its value (a {@link KeyState} record holding
 * the QRNN state in {@link QrnnStateCodec}'s encoding and a translator's open segment), the
 * precision both are written in, the model-version check and idle expiry. Everything else sees
 * {@link KeySession}s.
 *
 * <p>A stored state written by another model version, one that cannot be read, or one that does not
 * fit the model starts its key afresh (logged and counted). A state that has seen no tokens equals
 * the initial state and is deleted rather than stored. The segment outputs are written in the
 * configured precision and read in whichever precision their size shows, so states written by
 * earlier builds (always float32 segments) still load. A state whose record would exceed
 * {@link RecordLimits#recordBytes} (a translator segment that never ends, say) is deleted instead
 * of written, so its changelog write cannot fail: the key starts afresh.
 *
 * <p>Confined to the stream thread of its task.
 */
final class KeyStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(KeyStateStore.class);
    private final KeyValueStore<Bytes, byte[]> store;
    private final QrnnStateCodec codec;
    private final int maxRecordBytes;
    private final ProcessorMetrics metrics;
    private final Clock clock;

    KeyStateStore(KeyValueStore<Bytes, byte[]> store, QrnnStateCodec.Precision precision, int maxRecordBytes,
                  ProcessorMetrics metrics, Clock clock) {
        this.store = store;
        this.codec = new QrnnStateCodec(precision);
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The store key of {@code key} under {@code model}: the model name's UTF-8, a zero byte, the key. */
    static Bytes storeKey(String model, byte[] key) {
        byte[] name = model.getBytes(StandardCharsets.UTF_8);
        byte[] joined = new byte[name.length + 1 + key.length];
        System.arraycopy(name, 0, joined, 0, name.length);
        System.arraycopy(key, 0, joined, name.length + 1, key.length);
        return Bytes.wrap(joined);
    }

    /** The session of the key stored under {@code storeKey} for {@code route}'s model: its stored state, or afresh. */
    KeySession load(Bytes storeKey, String model, ModelRoute route) {
        return read(store.get(storeKey)).flatMap(stored -> restore(storeKey, stored, route))
                .orElseGet(() -> KeySession.fresh(storeKey, model, route.version(), route.initialState()));
    }

    /** Writes {@code session} back if a record changed it; a state that has seen no tokens is deleted. */
    void save(KeySession session) {
        if (!session.touched()) {
            return;
        }
        if (session.state().tokensSeen() == 0) {
            store.delete(session.storeKey());
            return;
        }
        KeyState state = KeyState.newBuilder()
                .setModelName(session.model())
                .setModelVersion(session.version())
                .setUpdatedAt(clock.instant())
                .setQrnnState(ByteBuffer.wrap(codec.encode(session.state())))
                .setSegmentText(session.segmentText())
                .setSegmentOutputs(ByteBuffer.wrap(codec.encodeValues(session.segmentOutputs())))
                .build();
        byte[] encoded;
        try {
            encoded = state.toByteBuffer().array();
        } catch (IOException e) {
            throw new IllegalStateException("encoding a key state failed", e);
        }
        if (session.storeKey().get().length + encoded.length > maxRecordBytes) {
            LOG.warn("A state of model {} grew to {} bytes, over the record limit of {}; the key starts afresh",
                    session.model(), encoded.length, maxRecordBytes);
            metrics.stateReset();
            store.delete(session.storeKey());
            return;
        }
        store.put(session.storeKey(), encoded);
    }

    /** Deletes every state not updated for {@code idleTimeout} and returns how many it deleted. */
    int expireIdle(Duration idleTimeout) {
        Instant cutoff = clock.instant().minus(idleTimeout);
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                Optional<KeyState> state = read(entry.value);
                if (state.isEmpty() || state.get().getUpdatedAt().isBefore(cutoff)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        return expired.size();
    }

    /** The store's estimate of how many keys hold state. */
    long approximateCount() {
        return store.approximateNumEntries();
    }

    private static Optional<KeyState> read(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyState.fromByteBuffer(ByteBuffer.wrap(value)));
        } catch (IOException | AvroRuntimeException e) {
            LOG.warn("Dropping an unreadable state of {} bytes; the key starts afresh", value.length, e);
            return Optional.empty();
        }
    }

    /** A translator's segment holds one output row of the last layer's width per token seen; a classifier's none. */
    private static float[] segmentOutputs(byte[] bytes, QrnnState state) {
        if (bytes.length == 0) {
            return new float[0];
        }
        return QrnnStateCodec.decodeValues(bytes,
                Math.multiplyExact(Math.toIntExact(state.tokensSeen()), state.lastHidden().length));
    }

    private Optional<KeySession> restore(Bytes storeKey, KeyState stored, ModelRoute route) {
        if (!stored.getModelVersion().equals(route.version())) {
            LOG.info("A key's state was written by model {} version {}; version {} now serves it, so the key "
                    + "starts afresh", stored.getModelName(), stored.getModelVersion(), route.version());
            metrics.stateReset();
            return Optional.empty();
        }
        try {
            QrnnState state = QrnnStateCodec.decode(Buffers.bytes(stored.getQrnnState()));
            if (route.fits(state)) {
                float[] outputs = segmentOutputs(Buffers.bytes(stored.getSegmentOutputs()), state);
                return Optional.of(KeySession.restored(storeKey, stored.getModelName(), route.version(), state,
                        stored.getSegmentText(), outputs));
            }
            LOG.warn("A stored state of model {} does not fit its stack; the key starts afresh", stored.getModelName());
        } catch (StateEncodingException | ArithmeticException e) {
            LOG.warn("A stored state of model {} cannot be decoded; the key starts afresh", stored.getModelName(), e);
        }
        metrics.stateReset();
        return Optional.empty();
    }
}
