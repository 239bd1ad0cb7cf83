package dev.qrnnstreams.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The tokens of a byte-pair encoding and its merges, in id and rank order.
 *
 * <p>Ids are laid out as: the {@link SpecialToken}s (0-3), the 256 byte tokens {@code <0x00>} to
 * {@code <0xFF>} (4-259), then the pieces: the learned alphabet of single code points and the merged
 * tokens, each text at most once. Every merged token is the result of at least one merge, and both
 * sides of every merge are pieces. Piece texts never contain white space or control characters.
 *
 * <p>Immutable and thread-safe.
 */
public final class Vocabulary {
    /** Id of the byte token {@code <0x00>}; byte {@code b} has id {@code FIRST_BYTE_ID + b}. */
    public static final int FIRST_BYTE_ID = SpecialToken.values().length;
    /** Id of the first piece (alphabet character or merged token). */
    public static final int FIRST_PIECE_ID = FIRST_BYTE_ID + 256;

    private final List<String> tokens;
    private final Map<String, Integer> pieceIds;
    private final List<Merge> merges;

    private Vocabulary(List<String> tokens, Map<String, Integer> pieceIds, List<Merge> merges) {
        this.tokens = tokens;
        this.pieceIds = pieceIds;
        this.merges = merges;
    }

    /**
     * A vocabulary of the reserved tokens followed by {@code pieces} in order, with {@code merges} in
     * rank order.
     *
     * @throws IllegalArgumentException if a piece is empty, repeated or contains white space or control
     *     characters, if a merge refers to a missing piece or repeats an earlier merge, or if a merged
     *     piece is produced by no merge
     */
    static Vocabulary of(List<String> pieces, List<Merge> merges) {
        List<String> tokens = new ArrayList<>(FIRST_PIECE_ID + pieces.size());
        for (SpecialToken special : SpecialToken.values()) {
            tokens.add(special.text());
        }
        for (int b = 0; b < 256; b++) {
            tokens.add(byteToken(b));
        }
        Map<String, Integer> pieceIds = new HashMap<>(pieces.size() * 2);
        for (String piece : pieces) {
            checkPiece(piece);
            if (pieceIds.putIfAbsent(piece, tokens.size()) != null) {
                throw new IllegalArgumentException("piece '" + piece + "' appears twice");
            }
            tokens.add(piece);
        }
        Set<Merge> seen = new HashSet<>();
        Set<String> results = new HashSet<>();
        for (Merge merge : merges) {
            for (String side : List.of(merge.left(), merge.right(), merge.result())) {
                if (!pieceIds.containsKey(side)) {
                    throw new IllegalArgumentException("merge " + merge + " refers to '" + side + "', not a piece");
                }
            }
            if (!seen.add(merge)) {
                throw new IllegalArgumentException("merge " + merge + " appears twice");
            }
            results.add(merge.result());
        }
        for (String piece : pieces) {
            if (piece.codePointCount(0, piece.length()) > 1 && !results.contains(piece)) {
                throw new IllegalArgumentException("merged piece '" + piece + "' is produced by no merge");
            }
        }
        return new Vocabulary(List.copyOf(tokens), Map.copyOf(pieceIds), List.copyOf(merges));
    }

    /** The printed form of byte token {@code value} (0-255): {@code <0x41>}. */
    public static String byteToken(int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("byte out of range: " + value);
        }
        return String.format(Locale.ROOT, "<0x%02X>", value);
    }

    /** Number of tokens, the model's input and output dimension. */
    public int size() {
        return tokens.size();
    }

    /** The text of token {@code id}: a special token, a byte token such as {@code <0xE2>}, or a piece. */
    public String token(int id) {
        checkId(id);
        return tokens.get(id);
    }

    /** The kind of token {@code id}. */
    public TokenKind kind(int id) {
        checkId(id);
        if (id < FIRST_BYTE_ID) {
            return TokenKind.SPECIAL;
        }
        if (id < FIRST_PIECE_ID) {
            return TokenKind.BYTE;
        }
        String piece = tokens.get(id);
        return piece.codePointCount(0, piece.length()) == 1 ? TokenKind.CHARACTER : TokenKind.MERGED;
    }

    /** The id of piece {@code text} (an alphabet character or merged token), if it is one. */
    public OptionalInt pieceId(String text) {
        Integer id = pieceIds.get(text);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** All token texts in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** The merges in rank order: earlier merges apply first. */
    public List<Merge> merges() {
        return merges;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary that && tokens.equals(that.tokens) && merges.equals(that.merges);
    }

    @Override
    public int hashCode() {
        return 31 * tokens.hashCode() + merges.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + size() + " tokens, " + merges.size() + " merges]";
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " outside vocabulary of " + tokens.size());
        }
    }

    private static void checkPiece(String piece) {
        if (piece.isEmpty()) {
            throw new IllegalArgumentException("empty piece");
        }
        piece.codePoints().forEach(codePoint -> {
            if (TextNormalizer.isSeparator(codePoint) && codePoint != PreTokenizer.WORD_MARKER) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "piece '%s' contains separator U+%04X", piece, codePoint));
            }
        });
    }
}
