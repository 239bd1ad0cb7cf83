/** Text to tensors and back: model front ends that advance per-key QRNN state in batches across keys. */
package dev.qrnnstreams.inference;
