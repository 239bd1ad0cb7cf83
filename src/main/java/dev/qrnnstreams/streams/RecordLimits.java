package dev.qrnnstreams.streams;

/**
 * The bounds that keep every write of the service under the broker's record size limits, whatever an
 * input holds: an input whose key or value is over its bound, or whose text is too long, is a dead
 * letter before it is buffered; a dead letter keeps at most a prefix of the raw key and value; an
 * output or a key's state over the record bound is never sent (the record is dead-lettered, the
 * key's state reset).
 *
 * @param keyBytes the largest accepted record key
 * @param valueBytes the largest accepted record value
 * @param textChars the longest accepted message text, in UTF-16 chars
 * @param recordBytes the largest record (key and value) the service writes to any topic
 * @param deadLetterRawBytes the most bytes of the raw key and of the raw value a dead letter keeps
 */
public record RecordLimits(int keyBytes, int valueBytes, int textChars, int recordBytes, int deadLetterRawBytes) {
    /** Room for a buffered record's or a dead letter's other fields. */
    static final int OVERHEAD_BYTES = 16 * 1024;

    /** Validates the bounds: a buffered record (key, raw value and text) and a dead letter fit a record. */
    public RecordLimits {
        if (keyBytes < 1 || valueBytes < 1 || textChars < 1 || deadLetterRawBytes < 1) {
            throw new IllegalArgumentException("the key, value, text and dead-letter bounds must be at least 1");
        }
        if ((long) keyBytes + 2L * valueBytes + OVERHEAD_BYTES > recordBytes) {
            throw new IllegalArgumentException("a buffered record holds the key and twice the value: " + keyBytes
                    + " + 2 x " + valueBytes + " bytes and " + OVERHEAD_BYTES + " more do not fit the record bound of "
                    + recordBytes);
        }
        if (2L * deadLetterRawBytes + OVERHEAD_BYTES > recordBytes) {
            throw new IllegalArgumentException("a dead letter of 2 x " + deadLetterRawBytes + " bytes and "
                    + OVERHEAD_BYTES + " more does not fit the record bound of " + recordBytes);
        }
    }

    /** A copy with another text bound. */
    public RecordLimits withTextChars(int value) {
        return new RecordLimits(keyBytes, valueBytes, value, recordBytes, deadLetterRawBytes);
    }

    /** A copy with other key and value bounds. */
    public RecordLimits withKeyAndValueBytes(int key, int value) {
        return new RecordLimits(key, value, textChars, recordBytes, deadLetterRawBytes);
    }
}
