package dev.qrnnstreams.inference;

import dev.qrnnstreams.model.ClassifierInput;

/**
 * Turns one message's text into its classifier's stack input, token by token, so that the rows of a
 * text are the rows of its messages one after the other. Implementations are immutable and thread-safe.
 */
public sealed interface ClassifierFrontEnd permits EmbeddingFrontEnd, ProjectionFrontEnd {
    /** The rows of {@code text}: one per token. */
    InputRows rows(String text);

    /** The front end of a bundle's input. */
    static ClassifierFrontEnd of(ClassifierInput input) {
        if (input instanceof ClassifierInput.Embedded embedded) {
            return new EmbeddingFrontEnd(embedded);
        }
        return new ProjectionFrontEnd((ClassifierInput.Projected) input);
    }
}
