/**
 * Internal: the Vector API and ND4J kernels (weight panels, window layout, gate activation and the
 * pooling scan, work split across cores) that the backends and training passes of {@code nn.*} stand
 * on. Not an API: import-control lets only {@code nn.*} and the benchmarks import it.
 */
package dev.qrnnstreams.nn.kernel;
