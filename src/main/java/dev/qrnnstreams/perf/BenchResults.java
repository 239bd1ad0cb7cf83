package dev.qrnnstreams.perf;

import java.util.List;

/**
 * Everything one harness run measured, for the report.
 *
 * @param settings what was run
 * @param machine the machine and runtime, in words
 * @param corpus where the messages came from and how many there were, in words
 * @param offline the model alone, batched across the keys of each thread
 * @param offlinePerPartition the model alone, batched across the keys of each input partition, as the service's
 *     tasks batch
 * @param coldTokenizer tokenisation alone, the tokenizer's piece cache empty at the start
 * @param warmTokenizer tokenisation alone, every piece cached
 * @param histories per-message cost against key history
 * @param float32StateBytes a key's stored QRNN state in float32
 * @param bfloat16StateBytes the same in bfloat16
 * @param classifier the service's drain rate with the default settings
 * @param identity the identity topology's drain rate
 * @param batchSizes the service's drain rate per {@code qrnn.batch.max.records}
 * @param scaling one stream thread (the first, the base of the ratios), two instances of one thread,
 *     bfloat16 state
 * @param latency end-to-end latency per setting and load
 * @param restore the changelog restore
 * @param memory heap and resident set at steady state
 * @param seconds the run's wall time
 */
record BenchResults(BenchSettings settings, String machine, String corpus, OfflineBench.Rate offline,
                    OfflineBench.Rate offlinePerPartition,
                    OfflineBench.Rate coldTokenizer, OfflineBench.Rate warmTokenizer,
                    List<OfflineBench.HistoryCost> histories, int float32StateBytes, int bfloat16StateBytes,
                    PipelineBench.Drain classifier, PipelineBench.Drain identity,
                    List<PipelineBench.Drain> batchSizes, List<PipelineBench.Drain> scaling,
                    List<PipelineBench.LatencyPoint> latency, PipelineBench.Restore restore, MemoryUse memory,
                    double seconds) {
}
