package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input becomes exactly one dead letter that carries the raw record and the reason,
 * is counted, and leaves the processor running.
 */
class DeadLetterTopologyTest extends SentimentTopologyTest {
    static Stream<Arguments> badRecords() {
        return Stream.of(
                bad("bytes that are not the wire format", f -> KEY, f -> new byte[] {1, 2, 3, 4, 5, 6},
                        ErrorKind.DESERIALIZATION),
                bad("a schema id the registry does not know", f -> KEY, f -> new byte[] {0, 0, 0, 0x7f, 1, 2},
                        ErrorKind.UNKNOWN_SCHEMA),
                bad("a truncated Avro body", f -> KEY, f -> truncated(f.encode(f.event("a superb film.").build())),
                        ErrorKind.DESERIALIZATION),
                bad("no value", f -> KEY, f -> null, ErrorKind.DESERIALIZATION),
                bad("no key", f -> null, f -> f.encode(f.event("a superb film.").build()), ErrorKind.MISSING_KEY),
                bad("a key that is not UTF-8", f -> new byte[] {(byte) 0xc3, 0x28},
                        f -> f.encode(f.event("a superb film.").build()), ErrorKind.DESERIALIZATION),
                bad("empty text", f -> KEY, f -> f.encode(f.event("").build()), ErrorKind.EMPTY_TEXT),
                bad("text over the limit", f -> KEY, f -> f.encode(f.event("superb ".repeat(20)).build()),
                        ErrorKind.TEXT_TOO_LARGE),
                bad("a control character", f -> KEY, f -> f.encode(f.event("superb\u0007film").build()),
                        ErrorKind.INVALID_CHARACTERS),
                bad("a replacement character from broken UTF-8", f -> KEY,
                        f -> f.encode(f.event("superb \uFFFD film").build()), ErrorKind.INVALID_CHARACTERS),
                bad("an unknown model", f -> KEY, f -> f.encode(f.event("a superb film.").setModel("nope").build()),
                        ErrorKind.UNKNOWN_MODEL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void shouldDeadLetterBadInputWithItsReasonAndKeepProcessing(String name, Function<TopologyFixture, byte[]> key,
                                                                Function<TopologyFixture, byte[]> value,
                                                                ErrorKind kind) {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1).withMaxTextChars(100),
                CATALOG, stateDir);
        byte[] keyBytes = key.apply(fixture);
        byte[] valueBytes = value.apply(fixture);

        fixture.sendRaw(keyBytes, valueBytes);
        fixture.send("key", "a superb film.");

        List<TestRecord<byte[], DeadLetter>> letters = fixture.deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0).value();
        assertThat(letter.getErrorKind()).isEqualTo(kind);
        assertThat(letter.getErrorMessage()).isNotBlank();
        assertThat(letter.getOriginalTopic()).isEqualTo("text-events");
        assertThat(letter.getOffset()).isZero();
        assertThat(bytes(letter.getValue())).isEqualTo(valueBytes);
        assertThat(bytes(letter.getKey())).isEqualTo(keyBytes);
        assertThat(letters.get(0).key()).isEqualTo(keyBytes);
        assertThat(fixture.classifications.readValuesToList()).hasSize(1);
        assertThat(fixture.deadLetterCount(kind)).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterEveryRecordOfAStepThatFails() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(3), CATALOG, stateDir,
                FailingBackend::new);
        fixture.send("a", "a superb film.");
        fixture.send("b", "an awful film.");
        fixture.send("c", "a boring film.");

        List<DeadLetter> letters = fixture.deadLetters.readValuesToList();
        assertThat(letters).extracting(DeadLetter::getErrorKind).containsOnly(ErrorKind.PROCESSING).hasSize(3);
        assertThat(letters.get(0).getErrorMessage()).contains("the device fell over");
        assertThat(fixture.classifications.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAndCountOnceARecordWhoseProcessingThrows() {
        fixture = new TopologyFixture(TopologySettings.defaults(), serdes -> new StreamSerdes(
                (topic, bytes) -> new TextEvent(null, "a superb film.", Instant.EPOCH, null, false, false),
                serdes.classifications(), serdes.translations(), serdes.deadLetters()), CATALOG, stateDir,
                CpuBackend::vectorised);

        fixture.send("key", "a superb film.");

        List<DeadLetter> letters = fixture.deadLetters.readValuesToList();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.PROCESSING);
            assertThat(letter.getErrorMessage()).contains("eventId");
        });
        assertThat(fixture.deadLetterCount(ErrorKind.PROCESSING)).isEqualTo(1.0);
    }

    @Test
    void shouldYieldExactlyOneOutputOrDeadLetterPerInputRecord() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(7).withMaxTextChars(60),
                CATALOG, stateDir);
        SplittableRandom random = new SplittableRandom(3);
        List<String> texts = List.of("a superb film.", "", "awful", "superb ".repeat(12), "bad\u0000byte",
                "the plot was clumsy", "moving");
        int records = 500;
        for (int i = 0; i < records; i++) {
            String key = "key-" + random.nextInt(20);
            if (random.nextInt(10) == 0) {
                fixture.sendRaw(key.getBytes(StandardCharsets.UTF_8), new byte[] {9, 9, 9});
            } else {
                fixture.send(key, texts.get(random.nextInt(texts.size())));
            }
        }
        fixture.advance(java.time.Duration.ofSeconds(1));

        int outputs = fixture.classifications.readValuesToList().size();
        int letters = fixture.deadLetters.readValuesToList().size();
        assertThat(outputs + letters).isEqualTo(records);
        assertThat(outputs).isGreaterThan(records / 3);
        assertThat(letters).isGreaterThan(records / 10);
    }

    private static Arguments bad(String name, Function<TopologyFixture, byte[]> key,
                                 Function<TopologyFixture, byte[]> value, ErrorKind kind) {
        return Arguments.of(name, key, value, kind);
    }

    private static byte[] truncated(byte[] record) {
        return java.util.Arrays.copyOf(record, record.length - 4);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** A backend whose every step fails, as a device or native library might. */
    private static final class FailingBackend implements QrnnBackend {
        @Override
        public List<StepResult> step(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
            throw new IllegalStateException("the device fell over");
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public void close() {
        }
    }
}
