package dev.qrnnstreams.text;

/**
 * The reserved tokens at the start of every vocabulary; a token's id is its {@link #ordinal()}.
 *
 * <p>{@link BpeTokenizer#encode(String)} never produces them: a classifier pads batches with
 * {@link #PAD}; a translator starts decoding from {@link #BOS} and stops at {@link #EOS}. {@link #UNK}
 * is kept for models and vocabularies that need it; with byte fallback every text is representable
 * without it, and decoding renders it as U+FFFD.
 */
public enum SpecialToken {
    /** Padding, id 0. */
    PAD("<pad>"),
    /** Unknown, id 1. */
    UNK("<unk>"),
    /** Beginning of sequence, id 2. */
    BOS("<s>"),
    /** End of sequence, id 3. */
    EOS("</s>");

    private final String text;

    SpecialToken(String text) {
        this.text = text;
    }

    /** The token's id in every vocabulary. */
    public int id() {
        return ordinal();
    }

    /** The token's printed form, as it appears in the vocabulary file. */
    public String text() {
        return text;
    }
}
