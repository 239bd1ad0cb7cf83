package dev.qrnnstreams.train;

import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.text.BpeTokenizer;
import java.util.Objects;

/**
 * The text side of training a classifier: a training text's example ids (byte-pair token ids, or
 * {@link PieceTable} ids of its hashed pieces), and the served input that the parameters' current
 * values make, for evaluation and for the bundle.
 */
public sealed interface ClassifierEncoding {
    /** The example ids of {@code text}. */
    int[] ids(String text);

    /** The model input of {@code parameters}' current values, as a bundle stores it and a stream reads it. */
    ClassifierInput input(ClassifierParameters parameters);

    /**
     * Byte-pair token ids, for an embedding classifier.
     *
     * @param tokenizer the tokenizer
     */
    record Tokens(BpeTokenizer tokenizer) implements ClassifierEncoding {
        /** Validates the field. */
        public Tokens {
            Objects.requireNonNull(tokenizer, "tokenizer");
        }

        @Override
        public int[] ids(String text) {
            return tokenizer.encode(text);
        }

        @Override
        public ClassifierInput input(ClassifierParameters parameters) {
            return new ClassifierInput.Embedded(parameters.embedding(), tokenizer);
        }
    }

    /**
     * Ids of hashed pieces, for a projection classifier.
     *
     * @param pieces the training-time dictionary of pieces
     */
    record Pieces(PieceTable pieces) implements ClassifierEncoding {
        /** Validates the field. */
        public Pieces {
            Objects.requireNonNull(pieces, "pieces");
        }

        @Override
        public int[] ids(String text) {
            return pieces.ids(text);
        }

        @Override
        public ClassifierInput input(ClassifierParameters parameters) {
            if (!(parameters.input() instanceof InputStage.Projection projection)) {
                throw new IllegalArgumentException("piece ids need a projection classifier's parameters");
            }
            return new ClassifierInput.Projected(projection.spec(), projection.bottleneck());
        }
    }
}
