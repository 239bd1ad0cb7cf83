/**
 * The QRNN encoder-decoder translator (Bradbury et al. 2017, section 3.1): its spec, weights, encoder
 * memory, attention, output layer and the token-by-token decoder that search drives. Inference only:
 * it never imports the training passes of {@code nn.grad}.
 */
package dev.qrnnstreams.nn.translate;
