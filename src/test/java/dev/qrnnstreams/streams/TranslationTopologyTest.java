package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.avro.internal.KeyState;
import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The translation route: segments carried across messages, partial and final translations. */
class TranslationTopologyTest {
    private static final TranslatorBundle BUNDLE = TrainedTestTranslator.bundle();
    private static final ModelCatalog CATALOG = ModelCatalog.builder()
            .classifier("sentiment", TrainedTestModel.classifier("1"))
            .translator("de-en", BUNDLE, DecodingSettings.beam(3, 1.0)).defaultModel("sentiment").build();
    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private TestOutputTopic<String, Translation> translations;

    @AfterEach
    void closeDriver() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldTranslateASegmentThatArrivesInPiecesAsTheWholeSentence() {
        start();
        List<String> pieces = List.of("Zwei Hunde", "spielen im", "Schnee.");
        fixture.send("chat", event(pieces.get(0), false));
        fixture.send("chat", event(pieces.get(1), false));
        fixture.send("chat", event(pieces.get(2), true));

        List<Translation> outputs = translations.readValuesToList();
        assertThat(outputs).extracting(Translation::getFinal$).containsExactly(false, false, true);
        assertThat(outputs).extracting(Translation::getSource)
                .containsExactly("Zwei Hunde", "Zwei Hunde spielen im", "Zwei Hunde spielen im Schnee.");
        assertThat(outputs.get(2).getTranslation()).isEqualTo(offline("Zwei Hunde spielen im Schnee."))
                .isEqualTo("Two dogs play in the snow.");
        assertThat(outputs.get(2).getModelName()).isEqualTo("de-en");
        assertThat(fixture.classifications.isEmpty()).isTrue();
    }

    @Test
    void shouldStartANewSegmentAfterTheEndOfOne() {
        start();
        fixture.send("chat", event("Ein Hund läuft.", true));
        fixture.send("chat", event("Eine Frau liest ein Buch.", true));

        List<Translation> outputs = translations.readValuesToList();
        assertThat(outputs).extracting(Translation::getSource)
                .containsExactly("Ein Hund läuft.", "Eine Frau liest ein Buch.");
        assertThat(outputs.get(1).getTranslation()).isEqualTo(offline("Eine Frau liest ein Buch."));
        assertThat(fixture.driver.getKeyValueStore(QrnnProcessor.STATE_STORE).approximateNumEntries()).isZero();
    }

    @Test
    void shouldKeepTranslatorAndClassifierStatesOfOneKeyApart() {
        start();
        fixture.send("k", event("Ein Mann", false));
        fixture.send("k", "a superb film.");
        fixture.send("k", event("fährt Fahrrad.", true));

        assertThat(fixture.classifications.readValuesToList()).hasSize(1);
        assertThat(translations.readValuesToList()).last().extracting(Translation::getTranslation)
                .isEqualTo(offline("Ein Mann fährt Fahrrad."));
    }

    @Test
    void shouldStoreTheOpenSegmentInTheConfiguredPrecisionWhenBfloat16() throws IOException {
        start(TopologySettings.defaults().withMaxBatchRecords(1).withStatePrecision(QrnnStateCodec.Precision.BFLOAT16));
        fixture.send("chat", event("Zwei Hunde", false));
        fixture.send("chat", event("spielen im Schnee.", true));

        KeyValueStore<Bytes, byte[]> store = fixture.driver.getKeyValueStore(QrnnProcessor.STATE_STORE);
        assertThat(translations.readValuesToList()).hasSize(2);
        fixture.send("chat", event("Zwei Hunde", false));
        KeyState stored = KeyState.fromByteBuffer(ByteBuffer.wrap(
                store.get(KeyStateStore.storeKey("de-en", "chat".getBytes(StandardCharsets.UTF_8)))));
        QrnnState state = QrnnStateCodec.decode(Buffers.bytes(stored.getQrnnState()));
        assertThat(stored.getSegmentOutputs().remaining())
                .isEqualTo(2 * state.tokensSeen() * state.lastHidden().length).isPositive();
        fixture.send("chat", event("spielen im Schnee.", true));
        assertThat(translations.readValuesToList()).last().extracting(Translation::getSource)
                .isEqualTo("Zwei Hunde spielen im Schnee.");
    }

    private void start() {
        start(TopologySettings.defaults().withMaxBatchRecords(1));
    }

    private void start(TopologySettings settings) {
        fixture = new TopologyFixture(settings, CATALOG, stateDir);
        translations = fixture.driver.createOutputTopic(fixture.settings.translationsTopic(), new StringDeserializer(),
                new AvroDeserializer<>(Translation.class, fixture.registry));
    }

    private TextEvent event(String text, boolean endOfSegment) {
        return fixture.event(text).setModel("de-en").setEndOfSegment(endOfSegment).build();
    }

    private static String offline(String sentence) {
        Translator translator = new Translator(BUNDLE.translator(), BUNDLE.sourceTokenizer(), BUNDLE.targetTokenizer(),
                DecodingSettings.beam(3, 1.0), CpuBackend.vectorised());
        try (translator) {
            return translator.translate(sentence);
        }
    }
}
