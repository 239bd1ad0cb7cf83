package dev.qrnnstreams.text;

import java.util.Objects;

/**
 * One learned byte-pair merge: adjacent tokens {@code left} and {@code right} become {@link #result()}.
 *
 * @param left the left token's text
 * @param right the right token's text
 */
public record Merge(String left, String right) {

    /** Checks that both sides are non-empty. */
    public Merge {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (left.isEmpty() || right.isEmpty()) {
            throw new IllegalArgumentException("empty side in merge '" + left + "' + '" + right + "'");
        }
    }

    /** The merged token's text, {@code left + right}. */
    public String result() {
        return left + right;
    }
}
