package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A translator key's open segment is bounded ({@value ServiceConfig#TRANSLATION_SEGMENT_MAX_TOKENS_CONFIG},
 * and {@value ServiceConfig#TEXT_MAX_CHARS_CONFIG} characters): the record that takes it past a bound
 * ends it with the final translation of all its text, and the key starts afresh. With the shipped
 * {@code models/multi30k-de-en}.
 */
class SegmentBoundTopologyTest {
    private static final TranslatorBundle BUNDLE = read(Path.of("models/multi30k-de-en"));
    private static final ModelCatalog CATALOG =
            ModelCatalog.builder().translator("de-en", BUNDLE).defaultModel("de-en").build();
    private static final List<String> MESSAGES = List.of("Ein Mann mit einem roten Hut", "sitzt auf einer Bank",
            "und liest eine Zeitung.", "Zwei Hunde spielen im Schnee.");
    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void closeDriver() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldEndTheSegmentWithAFinalTranslationOfAllItsTextWhenARecordTakesItPastTheTokenBound() {
        int firstTwo = tokens(MESSAGES.get(0)) + tokens(MESSAGES.get(1));

        assertEndsAtTheThirdMessage(TopologySettings.defaults().withMaxBatchRecords(1).withSegmentMaxTokens(firstTwo));
    }

    @Test
    void shouldEndTheSegmentWhenARecordTakesItPastTheTextBound() {
        int firstTwo = (MESSAGES.get(0) + " " + MESSAGES.get(1)).length();

        assertEndsAtTheThirdMessage(TopologySettings.defaults().withMaxBatchRecords(1).withMaxTextChars(firstTwo));
    }

    private void assertEndsAtTheThirdMessage(TopologySettings settings) {
        fixture = new TopologyFixture(settings, CATALOG, stateDir);
        TestOutputTopic<String, Translation> translations = fixture.driver.createOutputTopic(
                settings.translationsTopic(), new StringDeserializer(),
                new AvroDeserializer<>(Translation.class, fixture.registry));
        String segment = String.join(" ", MESSAGES.subList(0, 3));

        MESSAGES.subList(0, 3).forEach(message -> fixture.send("chat", message));
        KeyValueStore<Bytes, byte[]> states = fixture.driver.getKeyValueStore(QrnnProcessor.STATE_STORE);
        byte[] storedAfterTheBound = states.get(KeyStateStore.storeKey("de-en", "chat".getBytes(StandardCharsets.UTF_8)));
        fixture.send("chat", MESSAGES.get(3));

        List<Translation> outputs = translations.readValuesToList();
        assertThat(outputs).extracting(Translation::getFinal$).containsExactly(false, false, true, false);
        assertThat(outputs).extracting(Translation::getSource).containsExactly(MESSAGES.get(0),
                MESSAGES.get(0) + " " + MESSAGES.get(1), segment, MESSAGES.get(3));
        assertThat(outputs.get(2).getTranslation()).isEqualTo(offline(segment)).isNotBlank();
        assertThat(outputs.get(3).getTranslation()).isEqualTo(offline(MESSAGES.get(3)));
        assertThat(storedAfterTheBound).as("the key's stored segment after the bound ended it").isNull();
    }

    private static int tokens(String text) {
        try (Translator translator = translator()) {
            return translator.sourceTokens(text).length;
        }
    }

    private static String offline(String sentence) {
        try (Translator translator = translator()) {
            return translator.translate(sentence);
        }
    }

    private static Translator translator() {
        return new Translator(BUNDLE.translator(), BUNDLE.sourceTokenizer(), BUNDLE.targetTokenizer(),
                DecodingSettings.recordedIn(BUNDLE.manifest().metrics()), CpuBackend.vectorised());
    }

    private static TranslatorBundle read(Path directory) {
        try {
            return TranslatorBundle.read(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
