package dev.qrnnstreams.streams;

import java.nio.ByteBuffer;

/** Copies out of the {@link ByteBuffer}s that Avro uses for {@code bytes} fields. */
final class Buffers {
    private Buffers() {
    }

    /** The remaining bytes of {@code buffer}, leaving its position where it was. */
    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
