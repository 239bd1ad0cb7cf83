package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a write that the broker or the producer refused for one record into that record's dead
 * letter ({@link ErrorKind#PRODUCTION}), so the partition moves on instead of failing the task on the
 * same record forever. A retriable error (the broker cannot be reached) is retried from the last
 * commit instead, and a dead letter that itself cannot be written is logged and dropped, never
 * dead-lettered again. Each dead letter it writes is counted in {@code dead-letters-total{kind}}
 * ({@link DeadLetterCounter}); Kafka Streams also counts what it resumes past in {@code dropped-records}.
 *
 * <p>Configured by Kafka Streams from its configuration, which must hold a {@link DeadLetterWriter}
 * under {@value DeadLetterWriter#CONFIG} and a {@link DeadLetterCounter} under
 * {@value DeadLetterCounter#CONFIG}. Thread-safe.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private DeadLetterWriter writer;
    private DeadLetterCounter counter;

    @Override
    public void configure(Map<String, ?> configs) {
        writer = DeadLetterWriter.from(configs);
        counter = DeadLetterCounter.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        return handle(context, record.topic(), exception);
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return handle(context, record.topic(), exception);
    }

    private Response handle(ErrorHandlerContext context, String topic, Exception exception) {
        if (exception instanceof RetriableException) {
            LOG.warn("Writing to {} for {}-{}@{} failed and is retried", topic, context.topic(), context.partition(),
                    context.offset(), exception);
            return Response.retry();
        }
        if (writer.topic().equals(topic)) {
            LOG.error("The dead letter of {}-{}@{} cannot be written to {}; it is dropped", context.topic(),
                    context.partition(), context.offset(), topic, exception);
            return Response.resume();
        }
        LOG.warn("Writing to {} for {}-{}@{} failed; the record goes to the dead-letter topic", topic,
                context.topic(), context.partition(), context.offset(), exception);
        ProducerRecord<byte[], byte[]> letter = writer.record(context,
                Rejection.of(ErrorKind.PRODUCTION, "writing to " + topic + " failed", exception));
        counter.count(context.taskId(), ErrorKind.PRODUCTION);
        return Response.resume(List.of(letter));
    }
}
