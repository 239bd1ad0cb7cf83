package dev.qrnnstreams.train;

import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.TernaryProjection;
import dev.qrnnstreams.text.PieceHasher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A training-time dictionary of a projection model's pieces: each distinct piece gets an id the first
 * time it is seen, and its fixed ternary feature row is computed once, so a training step reads rows
 * instead of hashing and projecting every token again. Pieces are told apart by their 64-bit hash (the
 * first of {@link PieceHasher}'s hashes). Nothing here is trained or saved: the served model hashes and
 * projects each message itself ({@code inference.ProjectionFrontEnd}), with the same result.
 *
 * <p>Thread-safe.
 */
public final class PieceTable {
    private final ProjectionSpec spec;
    private final PieceHasher hasher;
    private final TernaryProjection projection;
    private final Map<Long, Integer> ids = new HashMap<>();
    private float[] rows = new float[0];

    /** An empty table of the pieces of {@code spec}'s hasher. */
    public PieceTable(ProjectionSpec spec) {
        this.spec = spec;
        this.hasher = spec.hasher();
        this.projection = new TernaryProjection(spec.features());
    }

    /** The hashing and projection settings. */
    public ProjectionSpec spec() {
        return spec;
    }

    /** Distinct pieces seen so far. */
    public synchronized int size() {
        return ids.size();
    }

    /** The ids of the pieces of {@code text}, adding the pieces not seen before. */
    public synchronized int[] ids(String text) {
        List<long[]> pieces = hasher.hash(text);
        int[] out = new int[pieces.size()];
        int features = spec.features();
        for (int t = 0; t < out.length; t++) {
            long[] hashes = pieces.get(t);
            Integer id = ids.get(hashes[0]);
            if (id == null) {
                id = ids.size();
                ids.put(hashes[0], id);
                if ((id + 1) * features > rows.length) {
                    rows = Arrays.copyOf(rows, Math.max(1024 * features, rows.length * 2));
                }
                projection.project(hashes, rows, id * features);
            }
            out[t] = id;
        }
        return out;
    }

    /** The projected rows of {@code ids}: {@code ids.length x features}. */
    public synchronized float[] rows(int[] pieceIds) {
        int features = spec.features();
        float[] out = new float[pieceIds.length * features];
        for (int t = 0; t < pieceIds.length; t++) {
            if (pieceIds[t] < 0 || pieceIds[t] >= ids.size()) {
                throw new IllegalArgumentException("piece id " + pieceIds[t] + " is not in the table");
            }
            System.arraycopy(rows, pieceIds[t] * features, out, t * features, features);
        }
        return out;
    }
}
