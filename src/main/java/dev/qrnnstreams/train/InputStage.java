package dev.qrnnstreams.train;

import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.grad.DenseBottleneckBackprop;
import java.util.List;

/**
 * The trainable input stage of a classifier in training, from example ids to the stack's input rows:
 * an embedding table over token ids, or a fixed {@link PieceTable} of projected pieces followed by a
 * trained {@link DenseBottleneck}. Its {@link #values} are live arrays an optimiser updates in place.
 */
public sealed interface InputStage {
    /** The live trainable arrays, in a fixed order. */
    List<float[]> values();

    /** Whether weight decay applies, per array of {@link #values}. */
    List<Boolean> decays();

    /** An immutable snapshot of the current values, for the forward and backward passes of one batch. */
    Frozen freeze();

    /** The input stage as it is at one moment; thread-safe. */
    interface Frozen {
        /** The rows of {@code ids}: {@code ids.length x width}. */
        float[] rows(int[] ids);

        /**
         * Adds the gradients of the values, given the loss gradient {@code dRows} of the {@code rows} that
         * {@link #rows} returned for {@code ids}, to {@code gradients} (arrays in the order of {@link #values}).
         */
        void accumulate(int[] ids, float[] rows, float[] dRows, List<float[]> gradients);
    }

    /**
     * A trained embedding of token ids; weight decay does not apply to it.
     *
     * @param vocabularySize token ids
     * @param dimension the vector width
     * @param vectors the live {@code vocabularySize x dimension} values
     */
    record Embedding(int vocabularySize, int dimension, float[] vectors) implements InputStage {
        @Override
        public List<float[]> values() {
            return List.of(vectors);
        }

        @Override
        public List<Boolean> decays() {
            return List.of(false);
        }

        @Override
        public Frozen freeze() {
            EmbeddingTable table = table();
            return new Frozen() {
                @Override
                public float[] rows(int[] ids) {
                    return table.lookup(ids);
                }

                @Override
                public void accumulate(int[] ids, float[] rows, float[] dRows, List<float[]> gradients) {
                    table.accumulateGradient(ids, dRows, gradients.get(0));
                }
            };
        }

        /** A snapshot of the table. */
        public EmbeddingTable table() {
            return new EmbeddingTable(vocabularySize, dimension, vectors);
        }
    }

    /**
     * Fixed projected pieces and a trained bottleneck; weight decay applies to its weights, not its bias.
     *
     * @param pieces the pieces' fixed feature rows, indexed by example ids
     * @param width the bottleneck's output width
     * @param weights the live {@code features x width} bottleneck weights
     * @param bias the live bottleneck bias
     */
    record Projection(PieceTable pieces, int width, float[] weights, float[] bias) implements InputStage {
        @Override
        public List<float[]> values() {
            return List.of(weights, bias);
        }

        @Override
        public List<Boolean> decays() {
            return List.of(true, false);
        }

        /** The hashing and projection settings. */
        public ProjectionSpec spec() {
            return pieces.spec();
        }

        /** A snapshot of the bottleneck. */
        public DenseBottleneck bottleneck() {
            return new DenseBottleneck(spec().features(), width, weights, bias);
        }

        @Override
        public Frozen freeze() {
            DenseBottleneck bottleneck = bottleneck();
            return new Frozen() {
                @Override
                public float[] rows(int[] ids) {
                    return bottleneck.forward(pieces.rows(ids), ids.length);
                }

                @Override
                public void accumulate(int[] ids, float[] rows, float[] dRows, List<float[]> gradients) {
                    DenseBottleneckBackprop.accumulate(bottleneck, pieces.rows(ids), rows, dRows, ids.length,
                            gradients.get(0), gradients.get(1));
                }
            };
        }
    }
}
