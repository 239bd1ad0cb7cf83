package dev.qrnnstreams.inference;

import dev.qrnnstreams.model.ClassifierInput;
import java.util.Objects;

/**
 * The front end of an embedding classifier: byte-pair token ids, then their embedding vectors.
 *
 * @param input the tokenizer and the embedding
 */
public record EmbeddingFrontEnd(ClassifierInput.Embedded input) implements ClassifierFrontEnd {
    /** Validates the field. */
    public EmbeddingFrontEnd {
        Objects.requireNonNull(input, "input");
    }

    @Override
    public InputRows rows(String text) {
        int[] ids = input.tokenizer().encode(text);
        return new InputRows(input.embedding().lookup(ids), ids.length);
    }
}
