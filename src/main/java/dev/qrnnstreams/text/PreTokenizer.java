package dev.qrnnstreams.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits normalised text into pieces, the units that byte-pair encoding never merges across.
 *
 * <p>Words are separated by spaces. Within a word, a piece is a maximal run of word characters
 * (letters, digits and other numbers) or a maximal run of other characters (punctuation, symbols,
 * emoji); combining marks and format characters (such as the zero-width joiner) extend the run they
 * follow. A run longer than {@link #MAX_PIECE_CODE_POINTS} code points is cut into chunks of that
 * length. The first piece of every word starts with the word marker U+2581, so the concatenation of
 * the pieces, with each marker read as a space and the first one dropped, is the normalised text.
 */
final class PreTokenizer {
    /** The word-boundary marker, U+2581 LOWER ONE EIGHTH BLOCK, as in SentencePiece. */
    static final char WORD_MARKER = '\u2581';
    /** The longest run of code points, marker excluded, that one piece holds. */
    static final int MAX_PIECE_CODE_POINTS = 100;

    private static final int WORD = 0;
    private static final int OTHER = 1;
    private static final int EXTEND = 2;

    private PreTokenizer() {
    }

    /** The pieces of {@code normalized}, in order. */
    static List<String> pieces(String normalized) {
        List<String> pieces = new ArrayList<>();
        forEachPiece(normalized, pieces::add);
        return pieces;
    }

    /** Passes each piece of {@code normalized} to {@code sink}, in order. */
    static void forEachPiece(String normalized, Consumer<String> sink) {
        int length = normalized.length();
        int i = 0;
        while (i < length) {
            if (normalized.charAt(i) == ' ') {
                i++;
                continue;
            }
            int end = normalized.indexOf(' ', i);
            end = end < 0 ? length : end;
            splitWord(normalized, i, end, sink);
            i = end;
        }
    }

    private static void splitWord(String text, int start, int end, Consumer<String> sink) {
        boolean first = true;
        int runStart = start;
        int runClass = -1;
        int runCodePoints = 0;
        int i = start;
        while (i < end) {
            int codePoint = text.codePointAt(i);
            int kind = classOf(codePoint);
            boolean continues = runClass >= 0 && (kind == EXTEND || kind == runClass);
            if (runClass >= 0 && (!continues || runCodePoints == MAX_PIECE_CODE_POINTS)) {
                sink.accept(piece(text, runStart, i, first));
                first = false;
                runStart = i;
                runCodePoints = 0;
                runClass = -1;
            }
            if (runClass < 0) {
                runClass = kind == EXTEND ? OTHER : kind;
            }
            runCodePoints++;
            i += Character.charCount(codePoint);
        }
        if (runStart < end) {
            sink.accept(piece(text, runStart, end, first));
        }
    }

    private static String piece(String text, int start, int end, boolean wordStart) {
        return wordStart ? WORD_MARKER + text.substring(start, end) : text.substring(start, end);
    }

    private static int classOf(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER:
                return WORD;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.FORMAT:
                return EXTEND;
            default:
                return OTHER;
        }
    }
}
