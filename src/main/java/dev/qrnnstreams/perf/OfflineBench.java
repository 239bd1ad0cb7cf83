package dev.qrnnstreams.perf;

import dev.qrnnstreams.inference.BackendKind;
import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * The model alone, without Kafka: the offline batched rate over the benchmark's messages (the ceiling of
 * the topology), the per-message cost of a streamed key against recomputing its whole history, and the
 * size of a key's stored state. Confined to the calling thread, like its backend.
 */
final class OfflineBench {
    /** The backend of every measurement: the machine has no usable GPU, and the service falls back to it. */
    static final BackendKind BACKEND = BackendKind.CPU;
    private static final int HISTORY_KEYS = 8;
    private static final int MESSAGE_TOKENS = 60;
    private static final long MIN_NANOS = 100_000_000L;
    private static final int WARM_UP_MESSAGES = 1_000;

    private final StreamingClassifier classifier;
    private final QrnnBackend backend;

    OfflineBench(StreamingClassifier classifier, QrnnBackend backend) {
        this.classifier = classifier;
        this.backend = backend;
    }

    /**
     * Records per second of the model over {@code messages}, tokenising and stepping them as the service
     * does: the keys spread over {@code lanes} (one backend per thread, as the service's stream threads each
     * open theirs, with their share of the cores), each lane's messages cut into batches of
     * {@code batchRecords} in arrival order, each batch stepped in rounds (the r-th message of every key in
     * one call), a key forgotten after its last message; the lanes run at the same time. After a warm-up, one
     * timed pass per classifier of {@code fresh} (each loaded anew, so its tokenizer's piece cache starts
     * empty, as in a newly started service instance); the median pass.
     *
     * <p>With {@code partitions} above 0 the batches are cut as the service's tasks cut them: each key goes to
     * the partition the producer's default partitioner gives it, partition p to lane {@code p % lanes}, and a
     * lane batches each of its partitions' messages on their own (a task's buffer holds its partition's records
     * only), so a round holds only the keys of one partition. With 0, a lane batches all its keys together.
     */
    Rate batchedRate(List<BenchCorpus.Message> messages, int batchRecords, List<StreamingClassifier> fresh,
                     List<QrnnBackend> lanes, int partitions) throws InterruptedException {
        run(messages.subList(0, Math.min(WARM_UP_MESSAGES, messages.size())), batchRecords, classifier, backend);
        int groups = partitions > 0 ? partitions : lanes.size();
        List<List<BenchCorpus.Message>> byGroup = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            byGroup.add(new ArrayList<>());
        }
        for (BenchCorpus.Message message : messages) {
            byGroup.get(group(message.key(), partitions, groups)).add(message);
        }
        double[] seconds = new double[fresh.size()];
        long tokens = 0;
        ExecutorService threads = Executors.newFixedThreadPool(lanes.size());
        try {
            for (int p = 0; p < fresh.size(); p++) {
                StreamingClassifier model = fresh.get(p);
                List<Callable<Long>> passes = new ArrayList<>();
                for (int l = 0; l < lanes.size(); l++) {
                    List<List<BenchCorpus.Message>> mine = new ArrayList<>();
                    for (int g = l; g < groups; g += lanes.size()) {
                        mine.add(byGroup.get(g));
                    }
                    QrnnBackend lane = lanes.get(l);
                    passes.add(() -> {
                        long laneTokens = 0;
                        for (List<BenchCorpus.Message> group : mine) {
                            laneTokens += run(group, batchRecords, model, lane);
                        }
                        return laneTokens;
                    });
                }
                long start = System.nanoTime();
                tokens = 0;
                for (Future<Long> pass : threads.invokeAll(passes)) {
                    tokens += result(pass);
                }
                seconds[p] = (System.nanoTime() - start) / 1e9;
            }
        } finally {
            threads.shutdownNow();
        }
        Arrays.sort(seconds);
        return new Rate(messages.size(), tokens, seconds[fresh.size() / 2], lanes.size());
    }

    /**
     * The group of {@code key}'s messages: with {@code partitions} above 0 the partition the producer's default
     * partitioner gives it, else one of {@code groups} by the key's hash.
     */
    private static int group(String key, int partitions, int groups) {
        return partitions > 0
                ? BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions)
                : Math.floorMod(key.hashCode(), groups);
    }

    private static long result(Future<Long> pass) {
        try {
            return pass.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an offline pass", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an offline pass failed", e.getCause());
        }
    }

    private static long run(List<BenchCorpus.Message> messages, int batchRecords, StreamingClassifier model,
                            QrnnBackend backend) {
        Map<String, QrnnState> states = new HashMap<>();
        long tokens = 0;
        for (int from = 0; from < messages.size(); from += batchRecords) {
            Map<String, ArrayDeque<BenchCorpus.Message>> queues = new LinkedHashMap<>();
            for (BenchCorpus.Message message : messages.subList(from, Math.min(messages.size(), from + batchRecords))) {
                queues.computeIfAbsent(message.key(), key -> new ArrayDeque<>()).add(message);
            }
            while (!queues.isEmpty()) {
                List<BenchCorpus.Message> round = new ArrayList<>(queues.size());
                queues.values().removeIf(queue -> {
                    round.add(queue.poll());
                    return queue.isEmpty();
                });
                List<InputRows> ids = round.stream().map(message -> model.rows(message.text())).toList();
                List<QrnnState> before = round.stream()
                        .map(message -> states.getOrDefault(message.key(), model.initialState())).toList();
                List<StreamingClassifier.Prediction> predictions = model.advance(backend, before, ids);
                for (int i = 0; i < round.size(); i++) {
                    tokens += ids.get(i).tokens();
                    if (round.get(i).endOfSegment()) {
                        states.remove(round.get(i).key());
                    } else {
                        states.put(round.get(i).key(), predictions.get(i).state());
                    }
                }
            }
        }
        return tokens;
    }

    /**
     * The cost of one more message of {@value #MESSAGE_TOKENS} tokens for a key that has seen
     * {@code history} tokens: as the service pays it (decode the stored state, step the message, encode the
     * state; {@value #HISTORY_KEYS} keys in one call) and as a stateless service would (re-run the model
     * over the history and the message). Tokens come from {@code stream}, each key at its own offset.
     */
    HistoryCost historyCost(InputRows stream, int history, QrnnStateCodec codec) {
        List<InputRows> histories = new ArrayList<>();
        List<InputRows> messages = new ArrayList<>();
        List<InputRows> whole = new ArrayList<>();
        for (int k = 0; k < HISTORY_KEYS; k++) {
            int offset = (int) ((long) k * 7_919 % Math.max(1, stream.tokens() - history - MESSAGE_TOKENS));
            histories.add(stream.slice(offset, offset + history));
            messages.add(stream.slice(offset + history, offset + history + MESSAGE_TOKENS));
            whole.add(stream.slice(offset, offset + history + MESSAGE_TOKENS));
        }
        List<QrnnState> fresh = Collections.nCopies(HISTORY_KEYS, classifier.initialState());
        List<byte[]> stored = classifier.advance(backend, fresh, histories).stream()
                .map(prediction -> codec.encode(prediction.state())).toList();
        double service = timePerKey(() -> {
            List<QrnnState> loaded = stored.stream().map(QrnnStateCodec::decode).toList();
            classifier.advance(backend, loaded, messages).forEach(prediction -> codec.encode(prediction.state()));
        });
        double recompute = timePerKey(() -> classifier.advance(backend, fresh, whole));
        return new HistoryCost(history, service, recompute, stored.get(0).length);
    }

    /** Microseconds per key of {@code work}, run once to warm up, then repeated for at least 0.1 s. */
    private static double timePerKey(Runnable work) {
        work.run();
        long start = System.nanoTime();
        int repeats = 0;
        while (repeats < 1 || System.nanoTime() - start < MIN_NANOS) {
            work.run();
            repeats++;
        }
        return (System.nanoTime() - start) / 1e3 / repeats / HISTORY_KEYS;
    }

    /**
     * Records per second of the front end alone (tokenisation, then the embedding lookup or the
     * projection) over {@code messages} with {@code fresh}, a classifier
     * whose tokenizer has seen no text, after a pass of this bench's classifier has compiled the code: the
     * first timed pass fills the piece cache (as a new service instance does), the second finds every piece
     * cached.
     */
    Rate[] tokenizerRates(StreamingClassifier fresh, List<BenchCorpus.Message> messages) {
        messages.forEach(message -> classifier.rows(message.text()));
        Rate[] passes = new Rate[2];
        for (int p = 0; p < passes.length; p++) {
            long start = System.nanoTime();
            long tokens = 0;
            for (BenchCorpus.Message message : messages) {
                tokens += fresh.rows(message.text()).tokens();
            }
            passes[p] = new Rate(messages.size(), tokens, (System.nanoTime() - start) / 1e9, 1);
        }
        return passes;
    }

    /** The stored size of a key's state in {@code precision}, after {@code tokens} tokens. */
    int stateBytes(InputRows tokens, QrnnStateCodec.Precision precision) {
        QrnnState state = classifier.advance(backend, List.of(classifier.initialState()), List.of(tokens)).get(0)
                .state();
        return new QrnnStateCodec(precision).encodedSize(state);
    }

    /**
     * A measured rate.
     *
     * @param records messages stepped
     * @param tokens their tokens
     * @param seconds wall time
     * @param threads the threads that stepped them at the same time
     */
    record Rate(long records, long tokens, double seconds, int threads) {
        double recordsPerSecond() {
            return records / seconds;
        }

        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /**
     * The cost of one message at a key history.
     *
     * @param history tokens the key had seen
     * @param serviceMicros microseconds per message, streamed from the stored state
     * @param recomputeMicros microseconds per message, re-run over the whole history
     * @param stateBytes the stored state's size, whatever the history
     */
    record HistoryCost(int history, double serviceMicros, double recomputeMicros, int stateBytes) {
    }
}
