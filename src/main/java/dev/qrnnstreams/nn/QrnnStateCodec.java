package dev.qrnnstreams.nn;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compact, versioned binary encoding of {@link QrnnState}, for a state store and its changelog.
 *
 * <p>Layout (version 1, little-endian):
 * <pre>
 *   bytes 0-1  magic 'Q' 'S'
 *   byte  2    format version (1)
 *   byte  3    precision: 0 = float32, 1 = bfloat16
 *   bytes 4-11 tokens seen (int64)
 *   bytes 12-13 layer count L (uint16)
 *   L headers  hidden units (int32), carried window values (int32), flags (byte; bit 0: h stored apart from c)
 *   L bodies   c, then h if flagged, then the carried window, each value in the precision above
 * </pre>
 * Version 2 is version 1 followed by a pooled summary ({@link PooledOutputs}): its width W (int32), then W
 * sums and W maxima in the precision above. A state without a summary is written as version 1, so an
 * older build still reads it.
 * bfloat16 keeps float32's exponent range (an ifo memory cell is not bounded by 1) and rounds the
 * mantissa to nearest-even, halving the size of the state; its effect on outputs is measured in
 * {@code BENCHMARKS.md}. Decoding reads the precision from the header, so either codec decodes both.
 *
 * <p>Immutable and thread-safe.
 */
public final class QrnnStateCodec {
    /** The format version this codec writes for a state without a pooled summary. */
    public static final int VERSION = 1;
    /** The format version this codec writes for a state with a pooled summary. */
    public static final int VERSION_POOLED = 2;
    private static final byte MAGIC_0 = 'Q';
    private static final byte MAGIC_1 = 'S';
    private static final int HEADER_BYTES = 14;
    private static final int LAYER_HEADER_BYTES = 9;
    private static final int HIDDEN_STORED = 1;

    /** How state values are stored. */
    public enum Precision {
        /** IEEE 754 single precision: exact. */
        FLOAT32(4),
        /** The upper half of a float32, rounded to nearest-even: 8 significant bits. */
        BFLOAT16(2);

        private final int bytes;

        Precision(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per stored value. */
        public int bytes() {
            return bytes;
        }
    }

    private final Precision precision;

    /** A codec that writes values in {@code precision}. */
    public QrnnStateCodec(Precision precision) {
        this.precision = Objects.requireNonNull(precision, "precision");
    }

    /** The precision this codec writes. */
    public Precision precision() {
        return precision;
    }

    /** The encoded length of {@code state}, in bytes. */
    public int encodedSize(QrnnState state) {
        long values = 0;
        for (LayerState layer : state.layers()) {
            values += storedValues(layer);
        }
        long pooled = state.pooled().isEmpty() ? 0 : 4 + 2L * state.pooled().width() * precision.bytes();
        return Math.toIntExact(HEADER_BYTES + (long) LAYER_HEADER_BYTES * state.layers().size()
                + values * precision.bytes() + pooled);
    }

    /** Encodes {@code state}. */
    public byte[] encode(QrnnState state) {
        if (state.layers().size() > 0xFFFF) {
            throw new IllegalArgumentException("too many layers: " + state.layers().size());
        }
        ByteBuffer out = ByteBuffer.allocate(encodedSize(state)).order(ByteOrder.LITTLE_ENDIAN);
        boolean pooled = !state.pooled().isEmpty();
        out.put(MAGIC_0).put(MAGIC_1).put((byte) (pooled ? VERSION_POOLED : VERSION)).put((byte) precision.ordinal());
        out.putLong(state.tokensSeen()).putShort((short) state.layers().size());
        for (LayerState layer : state.layers()) {
            out.putInt(layer.cellArray().length).putInt(layer.windowArray().length);
            out.put((byte) (layer.sharesHiddenWithCell() ? 0 : HIDDEN_STORED));
        }
        for (LayerState layer : state.layers()) {
            putValues(out, layer.cellArray());
            if (!layer.sharesHiddenWithCell()) {
                putValues(out, layer.hiddenArray());
            }
            putValues(out, layer.windowArray());
        }
        if (pooled) {
            out.putInt(state.pooled().width());
            putValues(out, state.pooled().sum());
            putValues(out, state.pooled().max());
        }
        return out.array();
    }

    /**
     * Encodes a plain vector in this codec's precision, little-endian, with no header: for values
     * stored beside a state (a translator's open segment), whose count the reader knows.
     */
    public byte[] encodeValues(float[] values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * precision.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        putValues(out, values);
        return out.array();
    }

    /**
     * Decodes a vector of {@code count} values written by {@link #encodeValues} of any precision; the
     * precision is the one whose size matches the byte count.
     *
     * @throws StateEncodingException if the byte count fits no precision
     */
    public static float[] decodeValues(byte[] bytes, int count) {
        for (Precision stored : Precision.values()) {
            if ((long) count * stored.bytes() == bytes.length) {
                return getValues(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), count, stored);
            }
        }
        throw new StateEncodingException(bytes.length + " bytes hold " + count + " values in no known precision");
    }

    /**
     * Decodes bytes written by a codec of any precision.
     *
     * @throws StateEncodingException if the bytes are not a state of a known version, or are
     *     truncated or followed by extra bytes
     */
    public static QrnnState decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (bytes.length >= 2 && (in.get() != MAGIC_0 || in.get() != MAGIC_1)) {
                throw new StateEncodingException("not an encoded QRNN state (bad magic)");
            }
            if (bytes.length < HEADER_BYTES) {
                throw new StateEncodingException("encoded state is truncated at " + bytes.length + " bytes");
            }
            int version = Byte.toUnsignedInt(in.get());
            if (version != VERSION && version != VERSION_POOLED) {
                throw new StateEncodingException("unknown state format version " + version
                        + "; this build reads versions " + VERSION + " and " + VERSION_POOLED);
            }
            Precision stored = precisionOf(Byte.toUnsignedInt(in.get()));
            long tokensSeen = in.getLong();
            int layerCount = Short.toUnsignedInt(in.getShort());
            int[][] shapes = new int[layerCount][3];
            for (int[] shape : shapes) {
                shape[0] = nonNegative(in.getInt(), "hidden units");
                shape[1] = nonNegative(in.getInt(), "window values");
                shape[2] = in.get();
                if ((shape[2] & ~HIDDEN_STORED) != 0) {
                    throw new StateEncodingException("unknown layer flags " + shape[2]);
                }
            }
            List<LayerState> layers = new ArrayList<>(layerCount);
            for (int[] shape : shapes) {
                float[] cell = getValues(in, shape[0], stored);
                float[] hidden = (shape[2] & HIDDEN_STORED) != 0 ? getValues(in, shape[0], stored) : cell;
                layers.add(new LayerState(cell, hidden, getValues(in, shape[1], stored)));
            }
            PooledOutputs pooled = PooledOutputs.NONE;
            if (version == VERSION_POOLED) {
                int width = nonNegative(in.getInt(), "pooled width");
                pooled = new PooledOutputs(getValues(in, width, stored), getValues(in, width, stored));
            }
            if (in.hasRemaining()) {
                throw new StateEncodingException(in.remaining() + " unexpected bytes after the encoded state");
            }
            return new QrnnState(layers, tokensSeen, pooled);
        } catch (BufferUnderflowException e) {
            throw new StateEncodingException("encoded state is truncated at " + bytes.length + " bytes", e);
        } catch (IllegalArgumentException e) {
            throw new StateEncodingException("encoded state is invalid: " + e.getMessage(), e);
        }
    }

    private static int storedValues(LayerState layer) {
        int cell = layer.cellArray().length;
        return cell + (layer.sharesHiddenWithCell() ? 0 : cell) + layer.windowArray().length;
    }

    private void putValues(ByteBuffer out, float[] values) {
        if (precision == Precision.FLOAT32) {
            out.asFloatBuffer().put(values);
            out.position(out.position() + 4 * values.length);
        } else {
            for (float value : values) {
                out.putShort(toBfloat16(value));
            }
        }
    }

    private static float[] getValues(ByteBuffer in, int count, Precision stored) {
        if ((long) count * stored.bytes() > in.remaining()) {
            throw new BufferUnderflowException();
        }
        float[] values = new float[count];
        if (stored == Precision.FLOAT32) {
            in.asFloatBuffer().get(values);
            in.position(in.position() + 4 * count);
        } else {
            for (int i = 0; i < count; i++) {
                values[i] = fromBfloat16(in.getShort());
            }
        }
        return values;
    }

    private static Precision precisionOf(int code) {
        Precision[] all = Precision.values();
        if (code >= all.length) {
            throw new StateEncodingException("unknown state precision code " + code);
        }
        return all[code];
    }

    private static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new StateEncodingException("negative " + what + ": " + value);
        }
        return value;
    }

    /** The bfloat16 nearest to {@code value}, ties to even; NaN stays NaN. */
    static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** The float32 value of a bfloat16. */
    static float fromBfloat16(short value) {
        return Float.intBitsToFloat((value & 0xFFFF) << 16);
    }
}
