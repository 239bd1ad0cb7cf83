package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import dev.qrnnstreams.streams.serde.RegistryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exception handlers turn one record's failure into that record's bounded dead letter, counted once. */
class DeadLetterHandlersTest {
    private static final int RAW_MAX_BYTES = 8;
    private final ConfluentSchemaRegistry registry = ConfluentSchemaRegistry.inMemory();
    private final DeadLetterWriter writer = new DeadLetterWriter("dlq", RAW_MAX_BYTES,
            StreamSerdes.avro(registry, true).deadLetters(), new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
    private final Context context = new Context("text-events", 2, 41, "a-very-long-key".getBytes(), new byte[] {1, 2});

    @Test
    void shouldResumeWithTheRecordsDeadLetterWhenTheBrokerRefusesAnOutput() {
        ProductionExceptionHandler handler = configured(new DeadLetterProductionHandler());

        ProductionExceptionHandler.Response response = handler.handleError(context,
                new ProducerRecord<>("classifications", new byte[0], new byte[0]), new InvalidTimestampException(null));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("dlq");
            assertThat(record.key()).hasSize(RAW_MAX_BYTES);
            DeadLetter letter = new AvroDeserializer<>(DeadLetter.class, registry).deserialize("dlq", record.value());
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.PRODUCTION);
            assertThat(letter.getErrorMessage()).contains("classifications").contains("InvalidTimestampException");
            assertThat(letter.getOffset()).isEqualTo(41);
            assertThat(letter.getKeySize()).isEqualTo(15);
        });
    }

    @Test
    void shouldRetryWhenTheWriteFailureIsRetriable() {
        ProductionExceptionHandler handler = configured(new DeadLetterProductionHandler());

        assertThat(handler.handleError(context, new ProducerRecord<>("classifications", new byte[0], new byte[0]),
                new NetworkException("broker gone")).result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
    }

    @Test
    void shouldDropADeadLetterThatCannotBeWrittenRatherThanDeadLetterItAgain() {
        ProductionExceptionHandler handler = configured(new DeadLetterProductionHandler());

        ProductionExceptionHandler.Response response = handler.handleError(context,
                new ProducerRecord<>("dlq", new byte[0], new byte[0]), new InvalidTimestampException("no"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldResumeWithTheRecordsDeadLetterWhenProcessingThrows() {
        ProcessingExceptionHandler handler = configured(new DeadLetterProcessingHandler());

        ProcessingExceptionHandler.Response response = handler.handleError(context, new Record<>(null, null, 0L),
                new NullPointerException());

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        DeadLetter letter = new AvroDeserializer<>(DeadLetter.class, registry).deserialize("dlq",
                response.deadLetterQueueRecords().get(0).value());
        assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.PROCESSING);
        assertThat(letter.getErrorMessage()).isEqualTo("processing failed: java.lang.NullPointerException");
    }

    @Test
    void shouldFailTheTaskWhenTheRegistryCannotBeReached() {
        ProcessingExceptionHandler handler = configured(new DeadLetterProcessingHandler());

        assertThat(handler.handleError(context, new Record<>(null, null, 0L),
                new RegistryException("registry down", null)).result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void shouldCountEachDeadLetterItWritesInItsTasksMetricOnce(@TempDir Path stateDir) {
        try (TopologyFixture fixture = new TopologyFixture(TopologySettings.defaults(), SentimentTopologyTest.CATALOG,
                stateDir)) {
            ProductionExceptionHandler production = new DeadLetterProductionHandler();
            production.configure(fixture.handlerConfig);
            ProcessingExceptionHandler processing = new DeadLetterProcessingHandler();
            processing.configure(fixture.handlerConfig);
            Context task = new Context("text-events", 0, 7, "key".getBytes(), new byte[] {1});

            production.handleError(task, new ProducerRecord<>("classifications", new byte[0], new byte[0]),
                    new InvalidTimestampException("refused"));
            production.handleError(task, new ProducerRecord<>(fixture.settings.deadLetterTopic(), new byte[0],
                    new byte[0]), new InvalidTimestampException("refused"));
            processing.handleError(task, new Record<>(null, null, 0L), new NullPointerException());
            processing.handleError(task, new Record<>(null, null, 0L), new RegistryException("registry down", null));

            assertThat(fixture.deadLetterCount(ErrorKind.PRODUCTION)).isEqualTo(1.0);
            assertThat(fixture.deadLetterCount(ErrorKind.PROCESSING)).isEqualTo(1.0);
        }
    }

    private <T extends Configurable> T configured(T handler) {
        handler.configure(Map.of(DeadLetterWriter.CONFIG, writer, DeadLetterCounter.CONFIG, new DeadLetterCounter()));
        return handler;
    }

    /** The source record a handler is called for. */
    private record Context(String topic, int partition, long offset, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return QrnnTopology.PROCESSOR;
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition);
        }

        @Override
        public long timestamp() {
            return 0;
        }
    }
}
