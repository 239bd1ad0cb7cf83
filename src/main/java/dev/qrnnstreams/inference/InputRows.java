package dev.qrnnstreams.inference;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One message's input to a classifier's QRNN stack: a row per token, {@code tokens x width} floats,
 * row-major.
 *
 * @param values the rows
 * @param tokens how many rows
 */
public record InputRows(float[] values, int tokens) {
    /** Validates that the rows divide evenly. */
    public InputRows {
        Objects.requireNonNull(values, "values");
        if (tokens < 0 || (tokens == 0 ? values.length != 0 : values.length % tokens != 0)) {
            throw new IllegalArgumentException(values.length + " values are not " + tokens + " rows");
        }
    }

    /**
     * The rows of several messages one after the other: what a front end gives for their concatenated
     * text when each message ends at a space, since both front ends work token by token.
     */
    public static InputRows concat(List<InputRows> messages) {
        int length = 0;
        int tokens = 0;
        for (InputRows message : messages) {
            length += message.values.length;
            tokens += message.tokens;
        }
        float[] values = new float[length];
        int at = 0;
        for (InputRows message : messages) {
            System.arraycopy(message.values, 0, values, at, message.values.length);
            at += message.values.length;
        }
        return new InputRows(values, tokens);
    }

    /** Rows {@code [from, to)}: the input of those tokens alone. */
    public InputRows slice(int from, int to) {
        if (from < 0 || to < from || to > tokens) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + tokens);
        }
        int width = tokens == 0 ? 0 : values.length / tokens;
        return new InputRows(Arrays.copyOfRange(values, from * width, to * width), to - from);
    }
}
