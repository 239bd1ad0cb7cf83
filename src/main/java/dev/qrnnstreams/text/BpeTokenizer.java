package dev.qrnnstreams.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Byte-pair encoding of text to token ids and back.
 *
 * <p>{@link #encode(String)} normalises the text with its {@link TextNormalizer}, splits it into
 * pieces (words and punctuation runs, the first piece of each word prefixed by the word marker U+2581),
 * maps each code point of a piece to its alphabet token, or to the byte tokens of its UTF-8 encoding when
 * it is outside the alphabet (byte fallback), and then repeatedly merges the adjacent pair with the
 * lowest merge rank, all its occurrences left to right, until no learned pair remains. Special tokens
 * are never produced. {@link #decode(int[])} inverts this: {@code decode(encode(t))} equals
 * {@code normalizer().normalize(t)} for every string {@code t}.
 *
 * <p>Immutable and thread-safe. The ids of recently seen pieces are cached (bounded, see
 * {@link #withCacheCapacity(int)}); the cache never changes results.
 */
public final class BpeTokenizer {
    /** Pieces whose ids are cached unless {@link #withCacheCapacity(int)} says otherwise. */
    public static final int DEFAULT_CACHE_CAPACITY = 100_000;

    private static final String REPLACEMENT = "\uFFFD";

    private final TextNormalizer normalizer;
    private final Vocabulary vocabulary;
    private final Map<Integer, Integer> characterIds;
    private final Map<Long, Long> mergeTable;
    private final WordCache cache;

    BpeTokenizer(TextNormalizer normalizer, Vocabulary vocabulary) {
        this(normalizer, vocabulary, DEFAULT_CACHE_CAPACITY);
    }

    private BpeTokenizer(TextNormalizer normalizer, Vocabulary vocabulary, int cacheCapacity) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.characterIds = characterIds(vocabulary);
        this.mergeTable = mergeTable(vocabulary);
        this.cache = new WordCache(cacheCapacity);
    }

    /** A tokenizer with the same vocabulary and normaliser caching up to {@code capacity} pieces (0: none). */
    public BpeTokenizer withCacheCapacity(int capacity) {
        return new BpeTokenizer(normalizer, vocabulary, capacity);
    }

    /** The normaliser applied before tokenisation; it is stored with the vocabulary. */
    public TextNormalizer normalizer() {
        return normalizer;
    }

    /** The tokens and merges. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** {@code normalizer().normalize(text)}: the text that {@link #decode(int[])} gives back. */
    public String normalize(String text) {
        return normalizer.normalize(text);
    }

    /** The token ids of {@code text}; empty for text that normalises to the empty string. */
    public int[] encode(String text) {
        IdBuffer out = new IdBuffer();
        PreTokenizer.forEachPiece(normalizer.normalize(text), piece -> out.addAll(encodePiece(piece)));
        return out.toArray();
    }

    /** The token texts of {@code text}, as {@link Vocabulary#token(int)} prints them. */
    public List<String> tokenize(String text) {
        int[] ids = encode(text);
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            tokens.add(vocabulary.token(id));
        }
        return tokens;
    }

    /**
     * The text of {@code ids}. Word markers become spaces and a leading space is dropped; consecutive byte
     * tokens are decoded together as UTF-8, invalid sequences as U+FFFD; {@link SpecialToken#UNK} becomes
     * U+FFFD and the other special tokens are skipped.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder(ids.length * 4);
        byte[] pending = new byte[16];
        int pendingBytes = 0;
        for (int id : ids) {
            TokenKind kind = vocabulary.kind(id);
            if (kind == TokenKind.BYTE) {
                if (pendingBytes == pending.length) {
                    pending = Arrays.copyOf(pending, pending.length * 2);
                }
                pending[pendingBytes++] = (byte) (id - Vocabulary.FIRST_BYTE_ID);
                continue;
            }
            appendBytes(text, pending, pendingBytes);
            pendingBytes = 0;
            if (kind == TokenKind.SPECIAL) {
                if (id == SpecialToken.UNK.id()) {
                    text.append(REPLACEMENT);
                }
            } else {
                text.append(vocabulary.token(id));
            }
        }
        appendBytes(text, pending, pendingBytes);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == PreTokenizer.WORD_MARKER) {
                text.setCharAt(i, ' ');
            }
        }
        return text.length() > 0 && text.charAt(0) == ' ' ? text.substring(1) : text.toString();
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + vocabulary + ", " + normalizer + "]";
    }

    private static void appendBytes(StringBuilder text, byte[] bytes, int count) {
        if (count > 0) {
            text.append(new String(bytes, 0, count, StandardCharsets.UTF_8));
        }
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] ids = merge(initialSymbols(piece));
        cache.put(piece, ids);
        return ids;
    }

    private int[] initialSymbols(String piece) {
        IdBuffer symbols = new IdBuffer();
        piece.codePoints().forEach(codePoint -> {
            Integer id = characterIds.get(codePoint);
            if (id != null) {
                symbols.add(id);
            } else {
                for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(Vocabulary.FIRST_BYTE_ID + (b & 0xFF));
                }
            }
        });
        return symbols.toArray();
    }

    private int[] merge(int[] symbols) {
        int length = symbols.length;
        while (length > 1) {
            long best = Long.MAX_VALUE;
            int bestLeft = -1;
            int bestRight = -1;
            for (int i = 0; i + 1 < length; i++) {
                Long entry = mergeTable.get(pairKey(symbols[i], symbols[i + 1]));
                if (entry != null && entry < best) {
                    best = entry;
                    bestLeft = symbols[i];
                    bestRight = symbols[i + 1];
                }
            }
            if (bestLeft < 0) {
                break;
            }
            int result = (int) best;
            int written = 0;
            int read = 0;
            while (read < length) {
                if (read + 1 < length && symbols[read] == bestLeft && symbols[read + 1] == bestRight) {
                    symbols[written++] = result;
                    read += 2;
                } else {
                    symbols[written++] = symbols[read++];
                }
            }
            length = written;
        }
        return length == symbols.length ? symbols : Arrays.copyOf(symbols, length);
    }

    /**
     * A unique key for the pair (left, right), multiplied by an odd constant (a bijection) so that
     * {@link Long#hashCode()} spreads: unmixed, it would be {@code left ^ right}, which crowds small ids.
     */
    static long pairKey(int left, int right) {
        return (((long) left << 32) | (right & 0xFFFF_FFFFL)) * 0x9E37_79B9_7F4A_7C15L;
    }

    private static Map<Integer, Integer> characterIds(Vocabulary vocabulary) {
        Map<Integer, Integer> ids = new HashMap<>();
        for (int id = Vocabulary.FIRST_PIECE_ID; id < vocabulary.size(); id++) {
            if (vocabulary.kind(id) == TokenKind.CHARACTER) {
                ids.put(vocabulary.token(id).codePointAt(0), id);
            }
        }
        return Map.copyOf(ids);
    }

    /** Pair key to (rank << 32 | result id): the lower the value, the earlier the merge. */
    private static Map<Long, Long> mergeTable(Vocabulary vocabulary) {
        List<Merge> merges = vocabulary.merges();
        Map<Long, Long> table = new HashMap<>(merges.size() * 2);
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge merge = merges.get(rank);
            int left = vocabulary.pieceId(merge.left()).orElseThrow();
            int right = vocabulary.pieceId(merge.right()).orElseThrow();
            int result = vocabulary.pieceId(merge.result()).orElseThrow();
            table.putIfAbsent(pairKey(left, right), ((long) rank << 32) | result);
        }
        return Map.copyOf(table);
    }

    /** A growable list of ids. */
    private static final class IdBuffer {
        private int[] ids = new int[16];
        private int size;

        void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        void addAll(int[] more) {
            if (size + more.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(size * 2, size + more.length));
            }
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
