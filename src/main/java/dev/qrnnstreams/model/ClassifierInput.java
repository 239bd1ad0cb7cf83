package dev.qrnnstreams.model;

import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.TernaryProjection;
import dev.qrnnstreams.text.BpeTokenizer;
import java.util.Objects;

/**
 * What turns a classifier's text into the QRNN stack's input rows: a vocabulary and an embedding table,
 * or a vocabulary-free hashed projection with a dense bottleneck.
 */
public sealed interface ClassifierInput {
    /** Width of each row given to the stack. */
    int width();

    /**
     * A byte-pair tokenizer and the embedding of its ids.
     *
     * @param embedding one vector per token id
     * @param tokenizer the tokenizer whose ids the embedding indexes
     */
    record Embedded(EmbeddingTable embedding, BpeTokenizer tokenizer) implements ClassifierInput {
        /** Validates the fields. */
        public Embedded {
            Objects.requireNonNull(embedding, "embedding");
            Objects.requireNonNull(tokenizer, "tokenizer");
        }

        @Override
        public int width() {
            return embedding.dimension();
        }
    }

    /**
     * Hashed pieces, their fixed ternary projection and a trained bottleneck.
     *
     * @param spec the hasher's settings and the projection's width
     * @param bottleneck from {@code spec.features()} to the stack's input width
     */
    record Projected(ProjectionSpec spec, DenseBottleneck bottleneck) implements ClassifierInput {
        /** Validates that the bottleneck reads the projection. */
        public Projected {
            Objects.requireNonNull(spec, "spec");
            if (bottleneck.inputSize() != spec.features()) {
                throw new IllegalArgumentException("a bottleneck of input " + bottleneck.inputSize()
                        + " cannot read " + spec.features() + " features");
            }
        }

        /** The projection {@link #spec} describes. */
        public TernaryProjection projection() {
            return new TernaryProjection(spec.features());
        }

        @Override
        public int width() {
            return bottleneck.outputSize();
        }
    }
}
