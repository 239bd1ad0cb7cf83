package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Counts every dead letter of an instance once, by kind, in {@code dead-letters-total{kind}} of the task
 * whose input record it answers, whoever writes it: the processor counts its own, and the exception
 * handlers, which Kafka Streams calls outside the processor, count theirs here. Each task's processor
 * registers its {@link ProcessorMetrics} from {@code init} to {@code close}.
 *
 * <p>One per Kafka Streams instance, shared by the topology and the handlers. Thread-safe: the tasks of
 * every stream thread register here, and a handler counts on the thread of the task it is called for.
 */
public final class DeadLetterCounter {
    /** The Kafka Streams configuration entry under which the exception handlers find the counter. */
    public static final String CONFIG = "qrnn.dead.letter.counter";
    private final Map<TaskId, ProcessorMetrics> tasks = new ConcurrentHashMap<>();

    /**
     * The counter in a Kafka Streams configuration, under {@value #CONFIG}.
     *
     * @throws IllegalStateException if there is none
     */
    static DeadLetterCounter from(Map<String, ?> configs) {
        if (configs.get(CONFIG) instanceof DeadLetterCounter counter) {
            return counter;
        }
        throw new IllegalStateException("the Kafka Streams configuration holds no " + CONFIG);
    }

    /** Counts the dead letters of {@code task} in {@code metrics} from now on. */
    void register(TaskId task, ProcessorMetrics metrics) {
        tasks.put(task, metrics);
    }

    /** Stops counting in {@code metrics}, unless another processor of {@code task} registered since. */
    void unregister(TaskId task, ProcessorMetrics metrics) {
        tasks.remove(task, metrics);
    }

    /** Counts one dead letter of {@code kind} for a record of {@code task}. */
    void count(TaskId task, ErrorKind kind) {
        ProcessorMetrics metrics = tasks.get(task);
        if (metrics != null) {
            metrics.deadLetter(kind);
        }
    }
}
