package dev.qrnnstreams.train;

import java.util.List;

/**
 * Gradients of a classifier's loss, one array per array of {@link ClassifierParameters}, and the
 * loss they belong to.
 *
 * @param loss the mean loss over the batch
 * @param adversarialLoss the mean loss over the batch's adversarially perturbed inputs, whose gradients are
 *     included (0 when the step trains without them; see {@link ClassifierStep})
 * @param input one per array of the {@link InputStage}, in its order
 * @param layerWeights per layer, packed like the layer's weights
 * @param layerBiases per layer
 * @param headWeights {@code hiddenSize x classes}
 * @param headBias one per class
 */
public record ClassifierGradients(double loss, double adversarialLoss, List<float[]> input, List<float[]> layerWeights,
                                  List<float[]> layerBiases, float[] headWeights, float[] headBias) {
}
