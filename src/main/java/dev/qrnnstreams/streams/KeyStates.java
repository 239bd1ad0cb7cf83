package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.internal.KeyState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-key model state, in a persistent changelogged store keyed by model name and stream key, so
 * one key may feed several models. Values are {@link KeyState} records.
 *
 * <p>Confined to the stream thread of its task.
 */
final class KeyStates {
    private static final Logger LOG = LoggerFactory.getLogger(KeyStates.class);
    private final KeyValueStore<Bytes, byte[]> store;

    KeyStates(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** The store key of {@code key} under {@code model}: the model name's UTF-8, a zero byte, the key. */
    static Bytes storeKey(String model, byte[] key) {
        byte[] name = model.getBytes(StandardCharsets.UTF_8);
        byte[] joined = new byte[name.length + 1 + key.length];
        System.arraycopy(name, 0, joined, 0, name.length);
        System.arraycopy(key, 0, joined, name.length + 1, key.length);
        return Bytes.wrap(joined);
    }

    /** The stored state, or empty if there is none or it cannot be read (logged; the key starts afresh). */
    Optional<KeyState> get(Bytes storeKey) {
        return decode(store.get(storeKey));
    }

    private static Optional<KeyState> decode(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyState.fromByteBuffer(ByteBuffer.wrap(value)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Dropping an unreadable state of {} bytes; the key starts afresh", value.length, e);
            return Optional.empty();
        }
    }

    void put(Bytes storeKey, KeyState state) {
        try {
            store.put(storeKey, state.toByteBuffer().array());
        } catch (IOException e) {
            throw new IllegalStateException("encoding a key state failed", e);
        }
    }

    void delete(Bytes storeKey) {
        store.delete(storeKey);
    }

    /** Deletes every state last updated before {@code cutoff} and returns how many it deleted. */
    int expireBefore(Instant cutoff) {
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                Optional<KeyState> state = decode(entry.value);
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
}
