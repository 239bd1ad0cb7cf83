package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad records as an attacker would choose them (encodings, schemas, sizes, timestamps,
 * keys, headers, scripts, invisible characters, duplicates, bursts), each between good records: every
 * bad record yields exactly one dead letter with a reason, or its normal output where it is in fact
 * valid, and every good record its normal output.
 */
class PoisonPillCorpusTest {
    private static final StreamingClassifier MODEL = TrainedTestModel.classifier("1");
    private static final ModelCatalog CATALOG =
            ModelCatalog.builder().classifier("sentiment", MODEL).defaultModel("sentiment").build();
    private static final String GOOD_TEXT = "a superb film.";
    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private final List<Sent> sent = new ArrayList<>();
    private int goodCounter;

    /** A record sent, at its input offset, with the dead-letter kind it should get, or null if it is valid. */
    private record Sent(String name, long offset, String eventId, ErrorKind expected) {
    }

    @AfterEach
    void closeDriver() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldAnswerEveryRecordOfAnAttackersCorpusOnceAndKeepServingTheGoodOnes() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(5), CATALOG, stateDir);
        byte[] key = utf8("victim");

        bad("invalid UTF-8 in the text", key, rawEvent("bad-utf8", new byte[] {'o', 'k', (byte) 0xff, 'x'}),
                ErrorKind.INVALID_CHARACTERS);
        bad("an overlong encoding of '/'", key, rawEvent("overlong", new byte[] {'a', (byte) 0xc0, (byte) 0xaf}),
                ErrorKind.INVALID_CHARACTERS);
        bad("a lone surrogate encoded as CESU-8", key,
                rawEvent("cesu", new byte[] {'a', (byte) 0xed, (byte) 0xa0, (byte) 0x80}), ErrorKind.INVALID_CHARACTERS);
        bad("a four-byte sequence past U+10FFFF", key,
                rawEvent("past-max", new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                ErrorKind.INVALID_CHARACTERS);
        bad("a wrong magic byte", key, withByte(good("x"), 0, (byte) 1), ErrorKind.DESERIALIZATION);
        bad("an unknown schema id", key, new byte[] {0, 0x7f, 0, 0, 1, 2, 4}, ErrorKind.UNKNOWN_SCHEMA);
        bad("a truncated Avro body", key, Arrays.copyOf(good("x"), good("x").length - 4), ErrorKind.DESERIALIZATION);
        bad("a header without a body", key, Arrays.copyOf(good("x"), 5), ErrorKind.DESERIALIZATION);
        bad("an empty value", key, new byte[0], ErrorKind.DESERIALIZATION);
        bad("a value shorter than the header", key, new byte[] {0, 0, 0}, ErrorKind.DESERIALIZATION);
        bad("a record of another type", key, classificationBytes(), ErrorKind.DESERIALIZATION);
        bad("trailing bytes", key, Arrays.copyOf(good("x"), good("x").length + 1), ErrorKind.DESERIALIZATION);
        bad("a string length of 2 GiB", key, lengthPrefix(Integer.MAX_VALUE - 100), ErrorKind.DESERIALIZATION);
        bad("a negative string length", key, lengthPrefix(-5), ErrorKind.DESERIALIZATION);
        bad("a huge key", new byte[600_000], good("x"), ErrorKind.KEY_TOO_LARGE);
        bad("a huge value", key, new byte[1_048_400], ErrorKind.VALUE_TOO_LARGE);
        bad("a huge text", key, event("huge-text", "superb ".repeat(5_000)), ErrorKind.TEXT_TOO_LARGE);
        valid("a huge event id", key, fixture.event(GOOD_TEXT).setEventId("i".repeat(200_000)).build());
        validAt("a timestamp in the year 2100", key, Instant.parse("2100-01-01T00:00:00Z"));
        validAt("the timestamp 0", key, Instant.EPOCH);
        valid("an empty key", new byte[0], goodEvent());
        bad("no key", null, good("x"), ErrorKind.MISSING_KEY);
        bad("no value", key, null, ErrorKind.DESERIALIZATION);
        bad("a key that is not UTF-8", new byte[] {(byte) 0xc3, 0x28}, good("x"), ErrorKind.DESERIALIZATION);
        valid("a key with NUL bytes", new byte[] {'a', 0, 'b'}, goodEvent());
        validWithHeaders("binary headers, one of 100 KiB", key);
        valid("right-to-left text", key, fixture.event("فيلم رائع جدا שלום").build());
        valid("mixed scripts", key, fixture.event("a süperb фильм 映画 ταινία").build());
        valid("emoji and ZWJ sequences", key, fixture.event("superb 🎬👍🏽 👨‍👩‍👧 🏳️‍🌈").build());
        valid("stacked combining marks", key, fixture.event("s̸̢̛u̴p̷͓e̶r̵b̷̨ f̸i̴l̴m̶").build());
        valid("zero-width characters inside words", key, fixture.event("su\u200bperb fi\u200dlm\u2060.").build());
        valid("a right-to-left override", key, fixture.event("a \u202emlif\u202c film").build());
        bad("a control character", key, event("bel", "superb\u0007film"), ErrorKind.INVALID_CHARACTERS);
        bad("a NUL character", key, event("nul", "superb\u0000film"), ErrorKind.INVALID_CHARACTERS);
        bad("an escape sequence", key, event("esc", "\u001b[2Jsuperb"), ErrorKind.INVALID_CHARACTERS);
        bad("the noncharacter U+FFFF", key, event("nonchar", "superb\uffff"), ErrorKind.INVALID_CHARACTERS);
        bad("only zero-width characters", key, event("zw", "\u200b\u200c\u200d\ufeff"), ErrorKind.EMPTY_TEXT);
        bad("only whitespace", key, event("ws", " \t\r\n\u3000"), ErrorKind.EMPTY_TEXT);
        bad("an unknown model", key, fixture.encode(fixture.event(GOOD_TEXT).setModel("../../etc").build()),
                ErrorKind.UNKNOWN_MODEL);
        bad("a model name of 10,000 chars", key, fixture.encode(fixture.event(GOOD_TEXT).setModel("m".repeat(10_000))
                .build()), ErrorKind.UNKNOWN_MODEL);
        TextEvent duplicate = fixture.event(GOOD_TEXT).setEventId("dup").build();
        valid("a duplicate", key, duplicate);
        valid("the same duplicate again", key, duplicate);
        bad("a duplicate bad record", key, new byte[] {9, 9}, ErrorKind.DESERIALIZATION);
        bad("the same duplicate bad record again", key, new byte[] {9, 9}, ErrorKind.DESERIALIZATION);
        for (int i = 0; i < 60; i++) {
            valid("a burst on one key", utf8("burst"), goodEvent());
        }
        fixture.advance(Duration.ofSeconds(1));

        List<TestRecord<byte[], DeadLetter>> letters = fixture.deadLetters.readRecordsToList();
        List<Classification> outputs = fixture.classifications.readValuesToList();
        Map<Long, DeadLetter> letterByOffset = new HashMap<>();
        letters.forEach(letter -> assertThat(letterByOffset.put(letter.value().getOffset(), letter.value()))
                .as("one dead letter per offset").isNull());
        Map<String, Integer> outputsByEvent = new HashMap<>();
        outputs.forEach(output -> outputsByEvent.merge(output.getEventId(), 1, Integer::sum));
        long badKinds = sent.stream().filter(record -> record.expected() != null).count();
        assertThat(sent.stream().map(Sent::name).distinct().count() - 1).as("kinds of bad record")
                .isGreaterThanOrEqualTo(30);
        for (Sent record : sent) {
            if (record.expected() == null) {
                assertThat(letterByOffset).as(record.name()).doesNotContainKey(record.offset());
                assertThat(outputsByEvent).as(record.name()).containsKey(record.eventId());
            } else {
                DeadLetter letter = letterByOffset.get(record.offset());
                assertThat(letter).as(record.name()).isNotNull();
                assertThat(letter.getErrorKind()).as(record.name()).isEqualTo(record.expected());
                assertThat(letter.getErrorMessage()).as(record.name()).isNotBlank().doesNotEndWith(": null");
                assertThat(letter.getOffset()).isEqualTo(record.offset());
            }
        }
        assertThat(letters).hasSize((int) badKinds);
        assertThat(outputs).hasSize(sent.size() - (int) badKinds);
    }

    private void bad(String name, byte[] key, byte[] value, ErrorKind expected) {
        send(name, key, value, null, expected, fixture.clock.instant());
        goodRecord();
    }

    private void valid(String name, byte[] key, TextEvent event) {
        send(name, key, fixture.encode(event), event.getEventId(), null, fixture.clock.instant());
        goodRecord();
    }

    private void validAt(String name, byte[] key, Instant timestamp) {
        TextEvent event = goodEvent();
        send(name, key, fixture.encode(event), event.getEventId(), null, timestamp);
        goodRecord();
    }

    private void validWithHeaders(String name, byte[] key) {
        TextEvent event = goodEvent();
        RecordHeaders headers = new RecordHeaders();
        headers.add("binary", new byte[] {0, (byte) 0xff, (byte) 0xfe});
        headers.add("", new byte[0]);
        headers.add("big", new byte[100 * 1024]);
        sent.add(new Sent(name, sent.size(), event.getEventId(), null));
        fixture.input.pipeInput(new TestRecord<>(key, fixture.encode(event), headers, fixture.clock.instant()));
        goodRecord();
    }

    private void goodRecord() {
        TextEvent event = fixture.event(GOOD_TEXT).setEventId("good-" + goodCounter++).build();
        send("a good record", utf8("good-" + goodCounter % 7), fixture.encode(event), event.getEventId(), null,
                fixture.clock.instant());
    }

    private void send(String name, byte[] key, byte[] value, String eventId, ErrorKind expected, Instant timestamp) {
        sent.add(new Sent(name, sent.size(), eventId, expected));
        fixture.input.pipeInput(key, value, timestamp);
    }

    private TextEvent goodEvent() {
        return fixture.event(GOOD_TEXT).build();
    }

    private byte[] good(String eventId) {
        return fixture.encode(fixture.event(GOOD_TEXT).setEventId(eventId).build());
    }

    private byte[] event(String eventId, String text) {
        return fixture.encode(fixture.event(text).setEventId(eventId).build());
    }

    /** A TextEvent written by hand, its id and text strings given as raw bytes, with the registered schema's header. */
    private byte[] rawEvent(String eventId, byte[] text) {
        return avro(encoder -> {
            encoder.writeBytes(utf8(eventId));
            encoder.writeBytes(text);
            encoder.writeLong(fixture.clock.millis());
            encoder.writeIndex(0);
            encoder.writeBoolean(false);
            encoder.writeBoolean(false);
        });
    }

    /** A body whose first string claims {@code length} bytes and holds a few. */
    private byte[] lengthPrefix(long length) {
        return avro(encoder -> {
            encoder.writeLong(length);
            encoder.writeFixed(new byte[] {1, 2, 3});
        });
    }

    private byte[] avro(AvroWriting body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(good("x"), 5));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            body.write(encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes an Avro body. */
    private interface AvroWriting {
        void write(BinaryEncoder encoder) throws IOException;
    }

    private byte[] classificationBytes() {
        Classification classification = Classification.newBuilder().setEventId("c").setKey("k").setLabel("pos")
                .setTokensSeen(3).setModelName("m").setModelVersion("1").build();
        return new AvroSerializer<>(Classification.class, fixture.registry, false, true)
                .serialize("other-topic", classification);
    }

    private static byte[] withByte(byte[] bytes, int index, byte value) {
        byte[] copy = bytes.clone();
        copy[index] = value;
        return copy;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
