package dev.qrnnstreams.model;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights file of a bundle: named float32 tensors in a documented little-endian layout.
 *
 * <pre>
 *   bytes 0-3   magic "QRNW"
 *   uint32      format version (1)
 *   uint32      tensor count
 *   per tensor: uint16 name length, the name in UTF-8, uint8 rank, rank x uint32 dimensions,
 *               then product(dimensions) float32 values, row-major
 * </pre>
 */
public final class TensorFile {
    /** The layout version this class writes and reads. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'Q', 'R', 'N', 'W'};

    private TensorFile() {
    }

    /** Writes {@code tensors} in their iteration order. */
    public static void write(Map<String, Tensor> tensors, Path path) throws IOException {
        long size = 12;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            size += 3 + entry.getKey().getBytes(StandardCharsets.UTF_8).length + 4L * entry.getValue().shape().length
                    + 4L * entry.getValue().values().length;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(tensors.size());
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) name.length).put(name).put((byte) entry.getValue().shape().length);
            for (int dimension : entry.getValue().shape()) {
                out.putInt(dimension);
            }
            out.asFloatBuffer().put(entry.getValue().values());
            out.position(out.position() + 4 * entry.getValue().values().length);
        }
        Files.write(path, out.array());
    }

    /**
     * Reads every tensor of the file at {@code path}, in file order.
     *
     * @throws ModelFormatException if the file is not a weights file of a known version or is truncated
     */
    public static Map<String, Tensor> read(Path path) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ModelFormatException(path + " is not a weights file (bad magic)");
            }
            int version = in.getInt();
            if (version != VERSION) {
                throw new ModelFormatException(path + " has weights format version " + version + "; this build reads "
                        + VERSION);
            }
            int count = in.getInt();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int t = 0; t < count; t++) {
                byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(name);
                int[] shape = new int[Byte.toUnsignedInt(in.get())];
                long values = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.getInt();
                    values *= shape[d];
                }
                if (values < 0 || values * 4 > in.remaining()) {
                    throw new BufferUnderflowException();
                }
                float[] data = new float[(int) values];
                in.asFloatBuffer().get(data);
                in.position(in.position() + 4 * data.length);
                tensors.put(new String(name, StandardCharsets.UTF_8), new Tensor(shape, data));
            }
            if (in.hasRemaining()) {
                throw new ModelFormatException(path + " has " + in.remaining() + " bytes after its last tensor");
            }
            return tensors;
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException(path + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(path + " holds an invalid tensor: " + e.getMessage(), e);
        }
    }
}
