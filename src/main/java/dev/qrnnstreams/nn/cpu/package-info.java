/**
 * The CPU backends behind {@link dev.qrnnstreams.nn.QrnnBackend}: the Vector API path, the ND4J gemm
 * path, the adaptive choice between them by batch size, and the stack runner they share.
 */
package dev.qrnnstreams.nn.cpu;
