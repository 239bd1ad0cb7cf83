package dev.qrnnstreams.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the schema contract of the topics: the records in {@code schemas/} evolve BACKWARD
 * compatibly when a field is added with a default (consumers on a new schema read old records), and
 * the compatibility check used here does reject a field added without one.
 */
class SchemaEvolutionTest {

    static List<Schema> schemas() {
        return List.of(TextEvent.getClassSchema(), Classification.getClassSchema(), Translation.getClassSchema(),
                DeadLetter.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void shouldStayBackwardCompatibleWhenAFieldWithADefaultIsAdded(Schema current) {
        Schema evolved = withField(current, "\"language\", \"type\": \"string\", \"default\": \"und\"");

        assertThat(compatibility(evolved, current)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void shouldBreakBackwardCompatibilityWhenAFieldIsAddedWithoutADefault(Schema current) {
        Schema evolved = withField(current, "\"language\", \"type\": \"string\"");

        assertThat(compatibility(evolved, current)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void shouldReadAnOldTextEventWithTheEvolvedSchemaFillingTheDefault() throws IOException {
        TextEvent old = TextEvent.newBuilder().setEventId("e-1").setText("a fine film").setEventTime(
                Instant.ofEpochMilli(1_700_000_000_000L)).build();
        Schema evolved = withField(TextEvent.getClassSchema(), "\"language\", \"type\": \"string\", \"default\": \"und\"");

        GenericRecord read = read(write(old), TextEvent.getClassSchema(), evolved);

        assertThat(read.get("eventId")).hasToString("e-1");
        assertThat(read.get("text")).hasToString("a fine film");
        assertThat(read.get("model")).isNull();
        assertThat(read.get("resetState")).isEqualTo(false);
        assertThat(read.get("endOfSegment")).isEqualTo(false);
        assertThat(read.get("language")).hasToString("und");
    }

    @Test
    void shouldReadAnUnknownErrorKindAsUnknownWhenTheWriterIsNewer() throws IOException {
        Schema newer = new Schema.Parser().parse(DeadLetter.getClassSchema().toString()
                .replace("\"PRODUCTION\"]", "\"PRODUCTION\",\"MODEL_TIMEOUT\"]"));
        GenericRecord letter = new GenericData.Record(newer);
        letter.put("originalTopic", "text-events");
        letter.put("partition", 3);
        letter.put("offset", 42L);
        letter.put("key", null);
        letter.put("value", null);
        letter.put("errorKind", new GenericData.EnumSymbol(newer.getField("errorKind").schema(), "MODEL_TIMEOUT"));
        letter.put("errorMessage", "model took too long");
        letter.put("time", 1_700_000_000_000L);
        letter.put("keySize", -1);
        letter.put("valueSize", -1);

        GenericRecord read = read(writeGeneric(letter, newer), newer, DeadLetter.getClassSchema());

        assertThat(read.get("errorKind")).hasToString("UNKNOWN");
        assertThat(read.get("offset")).isEqualTo(42L);
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
    }

    private static Schema withField(Schema schema, String fieldBody) {
        String json = schema.toString();
        int end = json.lastIndexOf("]");
        return new Schema.Parser().parse(json.substring(0, end) + ",{\"name\": " + fieldBody + "}" + json.substring(end));
    }

    private static byte[] write(TextEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(TextEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] writeGeneric(GenericRecord record, Schema schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord read(byte[] bytes, Schema writer, Schema reader) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null,
                DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
