/**
 * The public model API of the QRNN: layer and stack specs, layers and stacks, pooling, the per-key
 * incremental state and its versioned encoding, the {@link dev.qrnnstreams.nn.QrnnBackend} contract,
 * the embedding table and the softmax head. Backends live in {@code nn.cpu} and {@code nn.cuda}, the
 * kernels they stand on in {@code nn.kernel}, the translator network in {@code nn.translate} and the
 * training passes in {@code nn.grad}.
 *
 * <p>Reference: J. Bradbury, S. Merity, C. Xiong, R. Socher, "Quasi-Recurrent Neural Networks",
 * ICLR 2017 (arXiv:1611.01576).
 */
package dev.qrnnstreams.nn;
