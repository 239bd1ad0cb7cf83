/**
 * JMH benchmarks of the QRNN's CPU paths against an LSTM on the same kernels, DL4J's LSTM and the
 * machine's own sgemm rate, and {@link dev.qrnnstreams.bench.BenchmarkReport}, which runs them and
 * prints one table; built only by the {@code bench} Maven profile.
 */
package dev.qrnnstreams.bench;
