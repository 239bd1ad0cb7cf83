/**
 * The QRNN mathematics: masked causal convolution, f/fo/ifo pooling, zoneout, dense stacks, the
 * per-key incremental state and its encoding, CPU backends, and the LSTM speed baseline.
 *
 * <p>Reference: J. Bradbury, S. Merity, C. Xiong, R. Socher, "Quasi-Recurrent Neural Networks",
 * ICLR 2017 (arXiv:1611.01576).
 */
package dev.qrnnstreams.nn;
