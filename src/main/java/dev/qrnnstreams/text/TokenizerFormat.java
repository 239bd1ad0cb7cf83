package dev.qrnnstreams.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a {@link BpeTokenizer} as UTF-8 text, one entry per line, fields separated by a tab,
 * lines ended by {@code \n}:
 * <pre>
 * qrnn-streams-bpe  1                  the format name and version; always the first line
 * normalizer  strip-markup     true    the three normaliser settings, each once, any order
 * normalizer  decode-entities  true
 * normalizer  lowercase        false
 * token  special  &lt;pad&gt;                the tokens in id order: the 4 special tokens,
 * token  byte     &lt;0x00&gt;               the 256 byte tokens,
 * token  char     a                    then the pieces: single code points (char)
 * token  merged   ▁th                  and merge results (merged)
 * merge  ▁t  h                         the merges in rank order: left and right token
 * </pre>
 * Token texts never contain tabs or line breaks. A file of another format version fails with a
 * {@link VocabularyFormatException} naming both versions, as does any malformed line (with its number).
 */
public final class TokenizerFormat {
    /** The name on the first line. */
    public static final String FORMAT_NAME = "qrnn-streams-bpe";
    /** The version this build writes and the only one it reads. */
    public static final int VERSION = 1;

    private static final String STRIP_MARKUP = "strip-markup";
    private static final String DECODE_ENTITIES = "decode-entities";
    private static final String LOWERCASE = "lowercase";

    private TokenizerFormat() {
    }

    /** Writes {@code tokenizer} to {@code path} in UTF-8, replacing the file. */
    public static void write(BpeTokenizer tokenizer, Path path) throws IOException {
        try (Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            write(tokenizer, writer);
        }
    }

    /** Writes {@code tokenizer} to {@code writer}, which should encode UTF-8; does not close it. */
    public static void write(BpeTokenizer tokenizer, Writer writer) throws IOException {
        TextNormalizer normalizer = tokenizer.normalizer();
        Vocabulary vocabulary = tokenizer.vocabulary();
        line(writer, FORMAT_NAME, Integer.toString(VERSION));
        line(writer, "normalizer", STRIP_MARKUP, Boolean.toString(normalizer.stripMarkup()));
        line(writer, "normalizer", DECODE_ENTITIES, Boolean.toString(normalizer.decodeEntities()));
        line(writer, "normalizer", LOWERCASE, Boolean.toString(normalizer.lowercase()));
        for (int id = 0; id < vocabulary.size(); id++) {
            line(writer, "token", kindName(vocabulary.kind(id)), vocabulary.token(id));
        }
        for (Merge merge : vocabulary.merges()) {
            line(writer, "merge", merge.left(), merge.right());
        }
        writer.flush();
    }

    /** Reads a tokenizer from the UTF-8 file {@code path}. */
    public static BpeTokenizer read(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    /**
     * Reads a tokenizer from {@code reader}; does not close it.
     *
     * @throws VocabularyFormatException if the first line is not this format, the version is not
     *     {@link #VERSION}, or an entry is malformed or inconsistent
     */
    public static BpeTokenizer read(Reader reader) throws IOException {
        return new Parser(reader instanceof BufferedReader buffered ? buffered : new BufferedReader(reader)).parse();
    }

    private static void line(Writer writer, String... fields) throws IOException {
        writer.write(String.join("\t", fields));
        writer.write('\n');
    }

    private static String kindName(TokenKind kind) {
        return switch (kind) {
            case SPECIAL -> "special";
            case BYTE -> "byte";
            case CHARACTER -> "char";
            case MERGED -> "merged";
        };
    }

    /** One pass over the lines of a file. */
    private static final class Parser {
        private final BufferedReader reader;
        private int lineNumber;
        private String[] pending;

        Parser(BufferedReader reader) {
            this.reader = reader;
        }

        BpeTokenizer parse() throws IOException {
            readHeader();
            TextNormalizer normalizer = readNormalizer();
            List<String> pieces = readTokens();
            List<Merge> merges = readMerges();
            try {
                return new BpeTokenizer(normalizer, Vocabulary.of(pieces, merges));
            } catch (IllegalArgumentException e) {
                throw new VocabularyFormatException("inconsistent vocabulary: " + e.getMessage(), e);
            }
        }

        private void readHeader() throws IOException {
            String[] header = next();
            if (header == null) {
                throw new VocabularyFormatException("empty file: expected '" + FORMAT_NAME + "\\t" + VERSION + "'");
            }
            if (header.length != 2 || !header[0].equals(FORMAT_NAME)) {
                throw fail("not a " + FORMAT_NAME + " vocabulary: first line is '" + String.join("\t", header) + "'");
            }
            int version;
            try {
                version = Integer.parseInt(header[1]);
            } catch (NumberFormatException e) {
                throw fail("version '" + header[1] + "' is not a number");
            }
            if (version != VERSION) {
                throw fail("unsupported " + FORMAT_NAME + " format version " + version
                        + "; this build reads version " + VERSION);
            }
        }

        private TextNormalizer readNormalizer() throws IOException {
            Map<String, Boolean> settings = new LinkedHashMap<>();
            String[] fields;
            while ((fields = peek()) != null && fields[0].equals("normalizer")) {
                pending = null;
                if (fields.length != 3 || !List.of(STRIP_MARKUP, DECODE_ENTITIES, LOWERCASE).contains(fields[1])) {
                    throw fail("expected 'normalizer\\t<strip-markup|decode-entities|lowercase>\\t<true|false>'");
                }
                if (!fields[2].equals("true") && !fields[2].equals("false")) {
                    throw fail("normalizer setting '" + fields[2] + "' is neither true nor false");
                }
                if (settings.put(fields[1], Boolean.parseBoolean(fields[2])) != null) {
                    throw fail("normalizer setting " + fields[1] + " given twice");
                }
            }
            if (settings.size() != 3) {
                throw fail("expected the normalizer settings " + STRIP_MARKUP + ", " + DECODE_ENTITIES + " and "
                        + LOWERCASE + ", found " + settings.keySet());
            }
            return new TextNormalizer(settings.get(STRIP_MARKUP), settings.get(DECODE_ENTITIES), settings.get(LOWERCASE));
        }

        private List<String> readTokens() throws IOException {
            List<String> pieces = new ArrayList<>();
            int id = 0;
            String[] fields;
            while ((fields = peek()) != null && fields[0].equals("token")) {
                pending = null;
                if (fields.length != 3) {
                    throw fail("expected 'token\\t<kind>\\t<text>'");
                }
                String expectedKind = id < Vocabulary.FIRST_BYTE_ID ? "special"
                        : id < Vocabulary.FIRST_PIECE_ID ? "byte" : null;
                if (expectedKind != null) {
                    String expectedText = id < Vocabulary.FIRST_BYTE_ID ? SpecialToken.values()[id].text()
                            : Vocabulary.byteToken(id - Vocabulary.FIRST_BYTE_ID);
                    if (!fields[1].equals(expectedKind) || !fields[2].equals(expectedText)) {
                        throw fail("token " + id + " must be '" + expectedKind + "\\t" + expectedText + "'");
                    }
                } else {
                    int codePoints = fields[2].codePointCount(0, fields[2].length());
                    boolean valid = fields[1].equals("char") ? codePoints == 1
                            : fields[1].equals("merged") && codePoints > 1;
                    if (!valid) {
                        throw fail("token " + id + " must be 'char' with one code point or 'merged' with more");
                    }
                    pieces.add(fields[2]);
                }
                id++;
            }
            if (id < Vocabulary.FIRST_PIECE_ID) {
                throw fail("expected " + Vocabulary.FIRST_PIECE_ID + " reserved tokens, found " + id);
            }
            return pieces;
        }

        private List<Merge> readMerges() throws IOException {
            List<Merge> merges = new ArrayList<>();
            String[] fields;
            while ((fields = next()) != null) {
                if (!fields[0].equals("merge") || fields.length != 3 || fields[1].isEmpty() || fields[2].isEmpty()) {
                    throw fail("expected 'merge\\t<left>\\t<right>'");
                }
                merges.add(new Merge(fields[1], fields[2]));
            }
            return merges;
        }

        private String[] peek() throws IOException {
            if (pending == null) {
                pending = next();
            }
            return pending;
        }

        private String[] next() throws IOException {
            if (pending != null) {
                String[] fields = pending;
                pending = null;
                return fields;
            }
            String line = reader.readLine();
            if (line == null) {
                return null;
            }
            lineNumber++;
            return line.split("\t", -1);
        }

        private VocabularyFormatException fail(String message) {
            return new VocabularyFormatException("line " + lineNumber + ": " + message);
        }
    }
}
