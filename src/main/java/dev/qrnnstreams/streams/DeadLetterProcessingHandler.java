package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.streams.serde.RegistryException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception that escapes the processor for one input record into that record's dead letter
 * ({@link ErrorKind#PROCESSING}), so the partition moves on. A registry that cannot be reached is not
 * the record's fault: such a failure fails the task, which resumes from its last commit. Each dead
 * letter it writes is counted in {@code dead-letters-total{kind}} ({@link DeadLetterCounter}).
 *
 * <p>Configured by Kafka Streams from its configuration, which must hold a {@link DeadLetterWriter}
 * under {@value DeadLetterWriter#CONFIG} and a {@link DeadLetterCounter} under
 * {@value DeadLetterCounter#CONFIG}. Thread-safe.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private DeadLetterWriter writer;
    private DeadLetterCounter counter;

    @Override
    public void configure(Map<String, ?> configs) {
        writer = DeadLetterWriter.from(configs);
        counter = DeadLetterCounter.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof RegistryException) {
            return Response.fail();
        }
        LOG.warn("Processing {}-{}@{} failed; the record goes to the dead-letter topic", context.topic(),
                context.partition(), context.offset(), exception);
        Rejection rejection = Rejection.processing("processing", exception);
        ProducerRecord<byte[], byte[]> letter = writer.record(context, rejection);
        counter.count(context.taskId(), rejection.kind());
        return Response.resume(List.of(letter));
    }
}
