package dev.qrnnstreams.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Turns raw text into the canonical form that the tokenizer sees, in this order:
 * <ol>
 *   <li>Unicode NFKC ({@link Normalizer.Form#NFKC}): ligatures, full-width and other compatibility
 *       characters become their plain forms ({@code "ﬁ"} to {@code "fi"}, {@code "Ａ１"} to {@code "A1"});</li>
 *   <li>if {@link #stripMarkup()}: HTML comments and HTML-like tags ({@code <br />}, {@code </i>},
 *       {@code <p class="x">}: a {@code <}, an optional {@code /}, an ASCII letter, then up to 256 characters
 *       other than {@code <} and {@code >} up to the closing {@code >}) are replaced by a space;</li>
 *   <li>if {@link #decodeEntities()}: HTML character references are decoded once: decimal
 *       ({@code &#233;}), hexadecimal ({@code &#x1F600;}) and a fixed table of common named ones
 *       ({@code &amp; &lt; &gt; &quot; &apos; &nbsp;} and typographic quotes, dashes, accented letters);
 *       unknown names, references without the closing semicolon and invalid code points stay as written.
 *       Decoding runs after tag removal, so {@code &lt;br&gt;} becomes the literal text {@code <br>}; NFKC
 *       is applied again when anything was decoded;</li>
 *   <li>if {@link #lowercase()}: {@link String#toLowerCase(Locale)} with {@link Locale#ROOT};</li>
 *   <li>whitespace: every run of white space, control characters (Unicode category Cc), space, line and
 *       paragraph separators (Z*) and the reserved word marker U+2581 becomes one ASCII space; leading and
 *       trailing spaces are removed; an unpaired surrogate becomes U+FFFD.</li>
 * </ol>
 * The result contains no tab, newline or other control character and no U+2581, which the
 * pre-tokenizer reserves as its word-boundary marker. Normalisation is not idempotent when the input
 * encodes entities twice ({@code &amp;lt;} gives {@code &lt;}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param stripMarkup whether HTML-like tags and comments are removed (default true)
 * @param decodeEntities whether HTML character references are decoded (default true)
 * @param lowercase whether the text is lower-cased (default false)
 */
public record TextNormalizer(boolean stripMarkup, boolean decodeEntities, boolean lowercase) {

    /** The defaults: markup removed, entities decoded, case kept. */
    public static TextNormalizer standard() {
        return new TextNormalizer(true, true, false);
    }

    /** A builder starting from {@link #standard()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A copy with lower-casing switched on or off. */
    public TextNormalizer withLowercase(boolean value) {
        return new TextNormalizer(stripMarkup, decodeEntities, value);
    }

    /** A copy with markup removal switched on or off. */
    public TextNormalizer withStripMarkup(boolean value) {
        return new TextNormalizer(value, decodeEntities, lowercase);
    }

    /** A copy with entity decoding switched on or off. */
    public TextNormalizer withDecodeEntities(boolean value) {
        return new TextNormalizer(stripMarkup, value, lowercase);
    }

    /** The normalised form of {@code text}; see the class comment for the steps. */
    public String normalize(CharSequence text) {
        String result = Normalizer.normalize(text, Normalizer.Form.NFKC);
        if (stripMarkup) {
            result = Markup.stripTags(result);
        }
        if (decodeEntities) {
            String decoded = Markup.decodeEntities(result);
            if (!decoded.equals(result)) {
                result = Normalizer.normalize(decoded, Normalizer.Form.NFKC);
            }
        }
        if (lowercase) {
            result = result.toLowerCase(Locale.ROOT);
        }
        return collapseWhitespace(result);
    }

    /** Whether {@code codePoint} separates words: white space, a control character, Z*, or U+2581. */
    static boolean isSeparator(int codePoint) {
        if (codePoint == PreTokenizer.WORD_MARKER || Character.isWhitespace(codePoint)
                || Character.isSpaceChar(codePoint)) {
            return true;
        }
        return Character.getType(codePoint) == Character.CONTROL;
    }

    private static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (isSeparator(codePoint)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            boolean unpaired = codePoint <= Character.MAX_VALUE && Character.isSurrogate((char) codePoint);
            out.appendCodePoint(unpaired ? 0xFFFD : codePoint);
        }
        return out.toString();
    }

    /** Builds a {@link TextNormalizer}; starts from {@link #standard()}. */
    public static final class Builder {
        private boolean stripMarkup = true;
        private boolean decodeEntities = true;
        private boolean lowercase;

        private Builder() {
        }

        /** Whether HTML-like tags and comments are removed (default true). */
        public Builder stripMarkup(boolean value) {
            stripMarkup = value;
            return this;
        }

        /** Whether HTML character references are decoded (default true). */
        public Builder decodeEntities(boolean value) {
            decodeEntities = value;
            return this;
        }

        /** Whether the text is lower-cased with the root locale (default false). */
        public Builder lowercase(boolean value) {
            lowercase = value;
            return this;
        }

        /** Builds; every combination of settings is valid. */
        public TextNormalizer build() {
            return new TextNormalizer(stripMarkup, decodeEntities, lowercase);
        }
    }
}
