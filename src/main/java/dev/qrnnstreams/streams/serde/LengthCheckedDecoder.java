package dev.qrnnstreams.streams.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A {@link BinaryDecoder} over a byte array that checks each string and bytes length against the
 * bytes left before allocating it. Avro's own decoder allocates whatever length the data claims, so a
 * record of a few bytes claiming a 2 GiB string would exhaust the heap; here it fails with an
 * {@link EOFException} like any other truncated record.
 *
 * <p>Not thread-safe, like the decoder it wraps.
 */
final class LengthCheckedDecoder extends Decoder {
    private final BinaryDecoder in;

    LengthCheckedDecoder(BinaryDecoder in) {
        this.in = in;
    }

    /** Whether every byte has been read. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    /** The bytes not read yet. */
    int remaining() throws IOException {
        return in.inputStream().available();
    }

    private int checkedLength() throws IOException {
        long length = in.readLong();
        int remaining = remaining();
        if (length < 0 || length > remaining) {
            throw new EOFException("a length of " + length + " with " + remaining + " bytes left");
        }
        return (int) length;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] bytes = new byte[checkedLength()];
        in.readFixed(bytes);
        return old == null ? new Utf8(bytes) : old.set(new Utf8(bytes));
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(checkedLength());
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        byte[] bytes = new byte[checkedLength()];
        in.readFixed(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(checkedLength());
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return in.readArrayStart();
    }

    @Override
    public long arrayNext() throws IOException {
        return in.arrayNext();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return in.readMapStart();
    }

    @Override
    public long mapNext() throws IOException {
        return in.mapNext();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
