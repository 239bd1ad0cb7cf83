package dev.qrnnstreams.inference;

import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.TernaryProjection;
import dev.qrnnstreams.text.PieceHasher;
import java.util.List;

/**
 * The front end of a projection classifier (PRADO, Kaliamoorthi et al. 2019; pQRNN 2021): each piece of
 * the text is hashed with its character n-grams ({@link PieceHasher}), projected to fixed ternary
 * features ({@link TernaryProjection}) and passed through the trained {@link DenseBottleneck}. There is
 * no vocabulary, so no piece is unknown. Immutable and thread-safe.
 */
public final class ProjectionFrontEnd implements ClassifierFrontEnd {
    private final PieceHasher hasher;
    private final TernaryProjection projection;
    private final DenseBottleneck bottleneck;

    /** The front end of {@code input}. */
    public ProjectionFrontEnd(ClassifierInput.Projected input) {
        this.hasher = input.spec().hasher();
        this.projection = input.projection();
        this.bottleneck = input.bottleneck();
    }

    @Override
    public InputRows rows(String text) {
        List<long[]> pieces = hasher.hash(text);
        return new InputRows(bottleneck.forward(projection.project(pieces), pieces.size()), pieces.size());
    }
}
