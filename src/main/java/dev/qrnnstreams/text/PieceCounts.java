package dev.qrnnstreams.text;

import java.util.HashMap;
import java.util.Map;

/** How often each distinct piece occurs in a corpus; the input of byte-pair training. Not thread-safe. */
final class PieceCounts {
    private final Map<String, long[]> counts = new HashMap<>();

    /** Counts the pieces of one normalised text. */
    void addNormalized(String normalized) {
        PreTokenizer.forEachPiece(normalized, this::addPiece);
    }

    void addPiece(String piece) {
        counts.computeIfAbsent(piece, key -> new long[1])[0]++;
    }

    /** Distinct pieces with their counts; the arrays hold one element and must not be modified. */
    Map<String, long[]> counts() {
        return counts;
    }
}
