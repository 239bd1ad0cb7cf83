package dev.qrnnstreams.inference;

import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.TernaryProjection;
import dev.qrnnstreams.text.PieceHasher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The front end of a projection classifier (PRADO, Kaliamoorthi et al. 2019; pQRNN 2021): each piece of
 * the text is hashed with its character n-grams ({@link PieceHasher}), projected to fixed ternary
 * features ({@link TernaryProjection}) and passed through the trained {@link DenseBottleneck}. There is
 * no vocabulary, so no piece is unknown.
 *
 * <p>A piece's row depends on the piece alone, so the rows of the first {@value #CACHED_PIECES} distinct
 * pieces seen are kept and reused: a frequent word costs one look-up instead of its hashes, projection
 * and bottleneck (each row is computed on its own either way, so the cache never changes a result).
 * Thread-safe.
 */
public final class ProjectionFrontEnd implements ClassifierFrontEnd {
    /** The most pieces whose rows are kept (about 64 floats each for the shipped models). */
    public static final int CACHED_PIECES = 65_536;
    private final PieceHasher hasher;
    private final TernaryProjection projection;
    private final DenseBottleneck bottleneck;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    /** The front end of {@code input}. */
    public ProjectionFrontEnd(ClassifierInput.Projected input) {
        this.hasher = input.spec().hasher();
        this.projection = input.projection();
        this.bottleneck = input.bottleneck();
    }

    @Override
    public InputRows rows(String text) {
        List<String> pieces = hasher.pieces(text);
        int width = bottleneck.outputSize();
        float[] rows = new float[pieces.size() * width];
        for (int t = 0; t < pieces.size(); t++) {
            System.arraycopy(row(pieces.get(t)), 0, rows, t * width, width);
        }
        return new InputRows(rows, pieces.size());
    }

    private float[] row(String piece) {
        float[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        float[] features = new float[projection.features()];
        projection.project(hasher.hashPiece(piece), features, 0);
        float[] row = bottleneck.forward(features, 1);
        if (cache.size() < CACHED_PIECES) {
            cache.putIfAbsent(piece, row);
        }
        return row;
    }
}
