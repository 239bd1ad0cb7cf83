package dev.qrnnstreams.text;

/** What a vocabulary entry stands for; the kinds occupy consecutive id ranges in this order. */
public enum TokenKind {
    /** A {@link SpecialToken}. */
    SPECIAL,
    /** One byte of a character's UTF-8 encoding, for characters outside the learned alphabet. */
    BYTE,
    /** One code point of the learned alphabet (the word marker U+2581 included). */
    CHARACTER,
    /** The result of a learned merge: two or more code points. */
    MERGED
}
