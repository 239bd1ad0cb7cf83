package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * No input can make a write fail: inputs too large to buffer or answer are dead letters with a
 * bounded copy of the raw bytes, timestamps are clamped, and a record whose output cannot be written
 * becomes its own dead letter while the next record is answered.
 */
class PoisonPillTopologyTest extends SentimentTopologyTest {
    @Test
    void shouldDeadLetterAnOversizedKeyWithABoundedCopyAndAnswerTheNextRecord() {
        start(UnaryOperator.identity());
        byte[] key = filled(600_000, (byte) 'k');
        fixture.sendRaw(key, fixture.encode(fixture.event("a superb film.").build()));
        fixture.send("key", "a superb film.");

        TestRecord<byte[], DeadLetter> letter = onlyDeadLetter();
        assertThat(letter.value().getErrorKind()).isEqualTo(ErrorKind.KEY_TOO_LARGE);
        assertThat(letter.value().getErrorMessage()).contains("600000 bytes").contains("4096");
        assertThat(letter.value().getKeySize()).isEqualTo(600_000);
        assertThat(letter.value().getKey().remaining()).isEqualTo(deadLetterRawBytes());
        assertThat(letter.key()).hasSize(deadLetterRawBytes());
        assertThat(fixture.classifications.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldDeadLetterAnOversizedValueThatIsNotAvroWithABoundedCopy() {
        start(UnaryOperator.identity());
        fixture.sendRaw(KEY, filled(1_048_400, (byte) 'x'));
        fixture.send("key", "a superb film.");

        DeadLetter letter = onlyDeadLetter().value();
        assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.VALUE_TOO_LARGE);
        assertThat(letter.getValueSize()).isEqualTo(1_048_400);
        assertThat(letter.getValue().remaining()).isEqualTo(deadLetterRawBytes());
        assertThat(letter.getKeySize()).isEqualTo(KEY.length);
        assertThat(fixture.classifications.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldGiveARecordFromTheFarFutureTheWallClockTime() {
        start(UnaryOperator.identity());
        Instant year2100 = Instant.parse("2100-01-01T00:00:00Z");
        fixture.input.pipeInput(KEY, fixture.encode(fixture.event("a superb film.").build()), year2100);
        fixture.input.pipeInput(KEY, fixture.encode(fixture.event("an awful film.").build()),
                fixture.clock.instant().minusSeconds(60));

        List<TestRecord<String, Classification>> outputs = fixture.classifications.readRecordsToList();
        assertThat(outputs).extracting(TestRecord::getRecordTime)
                .containsExactly(fixture.clock.instant(), fixture.clock.instant().minusSeconds(60));
    }

    @Test
    void shouldGiveARecordWithoutATimestampTheWallClockTime() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
        ClampedTimestampExtractor extractor = new ClampedTimestampExtractor(clock);

        assertThat(extractor.extract(new ConsumerRecord<>("t", 0, 0, null, null), 5L)).isEqualTo(clock.millis());
        assertThat(extractor.extract(new ConsumerRecord<>("t", 0, 0, -7L, TimestampType.CREATE_TIME, 0, 0, null, null,
                new RecordHeaders(), Optional.empty()), 5L)).isEqualTo(clock.millis());
    }

    @Test
    void shouldDeadLetterTextOfOnlyWhitespace() {
        start(UnaryOperator.identity());
        fixture.send("key", " \t\n\u00a0\u2003 ");

        DeadLetter letter = onlyDeadLetter().value();
        assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.EMPTY_TEXT);
        assertThat(letter.getErrorMessage()).contains("only whitespace");
        assertThat(fixture.classifications.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAnAvroBodyFollowedByTrailingBytes() {
        start(UnaryOperator.identity());
        byte[] event = fixture.encode(fixture.event("a superb film.").build());
        byte[] garbage = Arrays.copyOf(event, event.length + 3);
        fixture.sendRaw(KEY, garbage);

        DeadLetter letter = onlyDeadLetter().value();
        assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.DESERIALIZATION);
        assertThat(letter.getErrorMessage()).contains("3 trailing bytes");
        assertThat(fixture.classifications.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterARecordWithNeitherKeyNorValue() {
        start(UnaryOperator.identity());
        fixture.sendRaw(null, null);
        fixture.send("key", "a superb film.");

        DeadLetter letter = onlyDeadLetter().value();
        assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.MISSING_KEY);
        assertThat(letter.getKeySize()).isEqualTo(-1);
        assertThat(letter.getValueSize()).isEqualTo(-1);
        assertThat(fixture.classifications.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldDeadLetterTheRecordWhoseOutputCannotBeWrittenAndAnswerTheNext() {
        start(serdes -> new StreamSerdes(serdes.textEvents(), refusing("poison", serdes.classifications()),
                serdes.translations(), serdes.deadLetters()));
        fixture.send("key", fixture.event("a superb film.").setEventId("poison").build());
        fixture.send("key", fixture.event("an awful film.").setEventId("next").build());

        DeadLetter letter = onlyDeadLetter().value();
        assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.PRODUCTION);
        assertThat(letter.getErrorMessage()).contains("RecordTooLargeException").contains("classifications");
        assertThat(fixture.classifications.readValuesToList()).extracting(Classification::getEventId)
                .containsExactly("next");
    }

    private void start(UnaryOperator<StreamSerdes> serdes) {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1), serdes, CATALOG, stateDir,
                CpuBackend::vectorised);
    }

    private TestRecord<byte[], DeadLetter> onlyDeadLetter() {
        List<TestRecord<byte[], DeadLetter>> letters = fixture.deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private int deadLetterRawBytes() {
        return fixture.settings.limits().deadLetterRawBytes();
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /** Refuses to encode the classification of event {@code eventId}, as a broker refuses a record. */
    private static Serializer<Classification> refusing(String eventId, Serializer<Classification> serializer) {
        return (topic, classification) -> {
            if (classification.getEventId().equals(eventId)) {
                throw new RecordTooLargeException((String) null);
            }
            return serializer.serialize(topic, classification);
        };
    }
}
