package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The checks an input record must pass before it is buffered: a UTF-8 key and a value within their
 * size bounds (checked before the value is decoded), text that is neither blank (empty, or only
 * whitespace and invisible format characters, unless the record only carries a flag) nor over the
 * size bound, no characters that cannot come from well-formed text, and a model the catalog serves.
 *
 * <p>Rejected characters: unpaired surrogates, the replacement character U+FFFD (what a decoder
 * leaves for invalid UTF-8), the noncharacters U+FFFE and U+FFFF, and control characters other than
 * tab, line feed and carriage return.
 */
final class InputValidator {
    private final RecordLimits limits;
    private final ModelCatalog models;

    InputValidator(RecordLimits limits, ModelCatalog models) {
        this.limits = limits;
        this.models = models;
    }

    /** A rejection of the raw record if its key is missing, too large or not UTF-8, or its value missing or too large. */
    Optional<Rejection> checkRaw(byte[] key, byte[] value) {
        if (key == null) {
            return Optional.of(new Rejection(ErrorKind.MISSING_KEY,
                    "the record has no key; the key names the stream whose state the text advances"));
        }
        if (key.length > limits.keyBytes()) {
            return Optional.of(new Rejection(ErrorKind.KEY_TOO_LARGE,
                    "the key has " + key.length + " bytes; the limit is " + limits.keyBytes()));
        }
        if (value == null) {
            return Optional.of(new Rejection(ErrorKind.DESERIALIZATION, "the record has no value"));
        }
        if (value.length > limits.valueBytes()) {
            return Optional.of(new Rejection(ErrorKind.VALUE_TOO_LARGE,
                    "the value has " + value.length + " bytes; the limit is " + limits.valueBytes()));
        }
        return checkUtf8(key);
    }

    private static Optional<Rejection> checkUtf8(byte[] key) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key));
            return Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.of(new Rejection(ErrorKind.DESERIALIZATION, "the record key is not valid UTF-8"));
        }
    }

    /** A rejection of {@code event}, or empty if it may be processed. */
    Optional<Rejection> check(TextEvent event) {
        String text = event.getText();
        String model = models.resolve(event.getModel());
        if (!models.names().contains(model)) {
            return Optional.of(new Rejection(ErrorKind.UNKNOWN_MODEL,
                    "no model named '" + model + "'; this instance serves " + models.names()));
        }
        if (text.length() > limits.textChars()) {
            return Optional.of(new Rejection(ErrorKind.TEXT_TOO_LARGE,
                    "the text has " + text.length() + " chars; the limit is " + limits.textChars()));
        }
        if (isBlank(text) && !event.getResetState() && !event.getEndOfSegment()) {
            return Optional.of(new Rejection(ErrorKind.EMPTY_TEXT, (text.isEmpty() ? "the text is empty"
                    : "the text of " + text.length() + " chars holds only whitespace or invisible characters")
                    + " and the event sets neither resetState nor endOfSegment"));
        }
        int bad = firstInvalidCharacter(text);
        if (bad >= 0) {
            return Optional.of(new Rejection(ErrorKind.INVALID_CHARACTERS, String.format(
                    "invalid character U+%04X at index %d", (int) text.charAt(bad), bad)));
        }
        return Optional.empty();
    }

    private static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    private static int firstInvalidCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c) || c == '\uFFFD' || c == '\uFFFE' || c == '\uFFFF'
                    || Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
        }
        return -1;
    }
}
