/**
 * Text handling in plain Java: normalisation, a byte-pair-encoding subword tokenizer learned from a
 * corpus, its vocabulary file, and detokenisation.
 *
 * <h2>Pipeline</h2>
 * {@link dev.qrnnstreams.text.TextNormalizer} applies NFKC, removes HTML-like markup such as IMDb's
 * {@code <br />}, decodes HTML character references, optionally lower-cases, and collapses white space.
 * The pre-tokenizer splits the result at spaces into words and within words into runs of letters and
 * digits and runs of other characters, and marks the first piece of every word with U+2581 (as
 * SentencePiece does), so decoding restores the spaces exactly. {@link dev.qrnnstreams.text.BpeTokenizer}
 * maps the pieces to ids; {@link dev.qrnnstreams.text.BpeTrainer} learns the merges (Sennrich, Haddow,
 * Birch, ACL 2016).
 *
 * <h2>Why our own trainer</h2>
 * No well-kept library on Maven Central trains a subword vocabulary from Java. DJL's
 * {@code ai.djl.huggingface:tokenizers} wraps the Rust Hugging Face tokenizers through JNI but exposes only
 * loading a {@code tokenizer.json}, encoding and decoding; DJL's {@code ai.djl.sentencepiece} likewise only
 * loads a trained model. Both bring native libraries. Training would need Python or Rust outside the
 * build, so the package implements byte-pair training itself: word counting first, then incremental pair
 * counts with a lazily checked priority queue (see {@code MergeLearner}), so that each merge costs time
 * in proportion to its occurrences.
 *
 * <h2>Determinism</h2>
 * The most frequent pair is merged next; ties go to the pair whose left token's text is smallest by
 * {@link java.lang.String#compareTo}, then the right token's. The alphabet gets ids in code point order.
 * The vocabulary therefore depends only on the settings and the multiset of texts, not on their order.
 *
 * <h2>Unknown characters: byte fallback</h2>
 * Every vocabulary holds the 256 byte tokens {@code <0x00>}..{@code <0xFF>}. A character outside the
 * learned alphabet (never seen in training, or rarer than the trainer's minimum) is encoded as the byte
 * tokens of its UTF-8 form, so no text fails to encode and {@code decode(encode(t))} equals the
 * normalised text for every string, emoji and unseen scripts included. The special tokens
 * ({@link dev.qrnnstreams.text.SpecialToken}: pad 0, unk 1, bos 2, eos 3) are never produced by encoding;
 * decoding skips pad, bos and eos and renders unk, and any invalid byte sequence a model may emit, as
 * U+FFFD.
 *
 * <h2>Stream semantics</h2>
 * A message boundary is a token boundary: the tokens of a key are the concatenation of the tokens of its
 * messages, each message encoded on its own, and decoding that concatenation joins the normalised
 * messages with one space (a message that normalises to nothing contributes nothing); this holds for
 * any messages. Tokenising separately equals tokenising the concatenation under a condition: for strings
 * {@code a} and {@code b}, if {@code a} ends with a separator (white space, a control character, a
 * Unicode space or line separator, or U+2581), or {@code b} starts with one, and no HTML-like tag or
 * comment starts in one and ends in the other (with markup removal on), then
 * {@code encode(a) ++ encode(b) == encode(a + b)}. Character references cannot span the boundary since
 * they contain no separator. If the boundary falls inside a word, the word is split there: tokenising
 * {@code "foot"} and {@code "ball"} separately differs from tokenising {@code "football"} and decodes as
 * {@code "foot ball"}. Property tests check both statements.
 *
 * <h2>Vocabulary file</h2>
 * {@link dev.qrnnstreams.text.TokenizerFormat}: UTF-8 text, one entry per line, starting with a version
 * line; the normaliser settings, the tokens in id order and the merges in rank order follow. An unknown
 * version fails with {@link dev.qrnnstreams.text.VocabularyFormatException}.
 *
 * <h2>Threads</h2>
 * Tokenizers, trainers, normalisers and vocabularies are immutable and safe to share; a tokenizer's piece
 * cache is a bounded concurrent map.
 */
package dev.qrnnstreams.text;
