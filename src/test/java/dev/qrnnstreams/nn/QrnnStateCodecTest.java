package dev.qrnnstreams.nn;

import dev.qrnnstreams.nn.cpu.CpuBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guards the state-store encoding {@link QrnnStateCodec}: float32 round trips are exact and bfloat16
 * ones within 2^-8 relative per value, for states of real steps of every pooling; the size is what
 * {@link QrnnStateCodec#encodedSize} says; damaged bytes (truncated at any length, bad magic, unknown
 * version or precision, trailing bytes, impossible counts) fail with {@link StateEncodingException}; and
 * two saved version-1 encodings still decode, guarding the on-disk format across versions.
 */
class QrnnStateCodecTest {
    private static final int HEADER_BYTES = 14;
    private static final QrnnStateCodec FLOAT32 = new QrnnStateCodec(QrnnStateCodec.Precision.FLOAT32);
    private static final QrnnStateCodec BFLOAT16 = new QrnnStateCodec(QrnnStateCodec.Precision.BFLOAT16);

    /**
     * The version-1 float32 encoding of {@link #savedState()}: magic "QS", version 1, precision 0,
     * 42 tokens, 2 layers; headers (2 units, 3 window values, h stored) and (2 units, 4 window values,
     * h shared); then c, h, window of layer 0 and c, window of layer 1, little-endian.
     */
    private static final String SAVED_FLOAT32 = "515301002a000000000000000200"
            + "020000000300000001" + "020000000400000000"
            + "0000003f0000a0bf" + "0000c03e000080bd" + "0000803f000000c00000803e"
            + "00004040000000bf" + "0000003e000080c0000000410000403f";

    /** The version-1 bfloat16 encoding of {@link #savedState()}: the same header with precision 1. */
    private static final String SAVED_BFLOAT16 = "515301012a000000000000000200"
            + "020000000300000001" + "020000000400000000"
            + "003fa0bf" + "c03e80bd" + "803f00c0803e"
            + "4040" + "00bf" + "003e80c00041403f";

    @Test
    void shouldCarryAPooledSummaryInVersion2AndWriteAStateWithoutOneAsVersion1() {
        QrnnStack stack = stackOf(Pooling.FO);
        QrnnState plain = stepped(stack);
        QrnnState pooled = plain.withPooled(PooledOutputs.initial(7).advance(
                QrnnTestSupport.randomInputs(3, 7, new Random(31)), 3));

        byte[] encoded = FLOAT32.encode(pooled);
        QrnnState decoded = QrnnStateCodec.decode(encoded);

        assertThat(encoded[2]).isEqualTo((byte) QrnnStateCodec.VERSION_POOLED);
        assertThat(encoded).hasSize(FLOAT32.encodedSize(pooled)).hasSize(FLOAT32.encodedSize(plain) + 4 + 2 * 7 * 4);
        assertThat(decoded).isEqualTo(pooled);
        assertThat(decoded.pooled()).isEqualTo(pooled.pooled()).isNotEqualTo(PooledOutputs.NONE);
        assertThat(FLOAT32.encode(plain)[2]).isEqualTo((byte) QrnnStateCodec.VERSION);
        QrnnState rounded = QrnnStateCodec.decode(BFLOAT16.encode(pooled));
        assertWithinBfloat16("pooled sum", rounded.pooled().sum(), pooled.pooled().sum());
        assertWithinBfloat16("pooled max", rounded.pooled().max(), pooled.pooled().max());
    }

    @ParameterizedTest
    @EnumSource(Pooling.class)
    void shouldRoundTripExactlyWhenFloat32(Pooling pooling) {
        QrnnStack stack = stackOf(pooling);
        QrnnState state = stepped(stack);

        QrnnState decoded = QrnnStateCodec.decode(FLOAT32.encode(state));

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.fits(stack)).isTrue();
        for (int l = 0; l < state.layers().size(); l++) {
            assertThat(decoded.layer(l).sharesHiddenWithCell()).isEqualTo(!pooling.hasOutputGate());
        }
    }

    @ParameterizedTest
    @EnumSource(Pooling.class)
    void shouldContinueExactlyAsTheOriginalWhenDecodedFromFloat32(Pooling pooling) {
        QrnnStack stack = stackOf(pooling);
        QrnnState state = stepped(stack);
        float[] next = QrnnTestSupport.randomInputs(3, stack.inputSize(), new Random(31));

        try (CpuBackend backend = CpuBackend.vectorised()) {
            StepResult original = backend.step(stack, state, next);
            StepResult resumed = backend.step(stack, QrnnStateCodec.decode(FLOAT32.encode(state)), next);

            assertThat(resumed.outputs()).containsExactly(original.outputs());
            assertThat(resumed.state()).isEqualTo(original.state());
        }
    }

    @ParameterizedTest
    @EnumSource(Pooling.class)
    void shouldRoundTripWithinBfloat16PrecisionWhenBfloat16(Pooling pooling) {
        QrnnStack stack = stackOf(pooling);
        QrnnState state = stepped(stack);

        QrnnState decoded = QrnnStateCodec.decode(BFLOAT16.encode(state));

        assertThat(decoded.tokensSeen()).isEqualTo(state.tokensSeen());
        assertThat(decoded.fits(stack)).isTrue();
        for (int l = 0; l < state.layers().size(); l++) {
            assertWithinBfloat16("layer " + l + " cell", decoded.layer(l).cell(), state.layer(l).cell());
            assertWithinBfloat16("layer " + l + " hidden", decoded.layer(l).hidden(), state.layer(l).hidden());
            assertWithinBfloat16("layer " + l + " window", decoded.layer(l).window(), state.layer(l).window());
        }
    }

    @Test
    void shouldRoundBfloat16ToNearestEvenAndKeepSpecialValues() {
        float tieDown = 1f + 0x1p-8f;
        float tieUp = 1f + 3 * 0x1p-8f;
        float aboveTie = 1f + 0x1p-8f + 0x1p-20f;
        float[] values = {tieDown, tieUp, aboveTie, -tieUp, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f, 70000.7f};
        QrnnState state = new QrnnState(List.of(LayerState.of(Pooling.F, values, null, new float[0])), 0);

        float[] decoded = QrnnStateCodec.decode(BFLOAT16.encode(state)).layer(0).cell();

        assertThat(decoded).containsExactly(1f, 1f + 0x1p-6f, 1f + 0x1p-7f, -(1f + 0x1p-6f),
                Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f,
                70144f);
    }

    @ParameterizedTest
    @EnumSource(QrnnStateCodec.Precision.class)
    void shouldEncodeToTheSizeEncodedSizeGivesWhenAnyPrecision(QrnnStateCodec.Precision precision) {
        QrnnStateCodec codec = new QrnnStateCodec(precision);
        for (Pooling pooling : Pooling.values()) {
            QrnnState state = stepped(stackOf(pooling));
            int values = 0;
            for (LayerState layer : state.layers()) {
                values += layer.cell().length * (pooling.hasOutputGate() ? 2 : 1) + layer.window().length;
            }

            int expected = HEADER_BYTES + 9 * state.layers().size() + values * precision.bytes();

            assertThat(codec.encodedSize(state)).as("%s %s", precision, pooling).isEqualTo(expected);
            assertThat(codec.encode(state)).as("%s %s", precision, pooling).hasSize(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(QrnnStateCodec.Precision.class)
    void shouldRejectBytesWhenTruncatedAtAnyLength(QrnnStateCodec.Precision precision) {
        byte[] bytes = new QrnnStateCodec(precision).encode(stepped(stackOf(Pooling.IFO)));

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> QrnnStateCodec.decode(truncated))
                    .as("%s truncated to %d of %d bytes", precision, length, bytes.length)
                    .isInstanceOf(StateEncodingException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void shouldRejectBytesWhenLayerFlagsAreUnknown() {
        byte[] bytes = FLOAT32.encode(savedState());
        bytes[HEADER_BYTES + 8] = 6;

        assertThatThrownBy(() -> QrnnStateCodec.decode(bytes))
                .isInstanceOf(StateEncodingException.class)
                .hasMessageContaining("unknown layer flags 6");
    }

    @Test
    void shouldRejectBytesWhenMagicIsWrong() {
        byte[] bytes = FLOAT32.encode(savedState());
        bytes[1] = 'X';

        assertThatThrownBy(() -> QrnnStateCodec.decode(bytes))
                .isInstanceOf(StateEncodingException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void shouldRejectBytesWhenVersionIsUnknown() {
        for (int version : new int[] {0, 3, 255}) {
            byte[] bytes = FLOAT32.encode(savedState());
            bytes[2] = (byte) version;

            assertThatThrownBy(() -> QrnnStateCodec.decode(bytes))
                    .isInstanceOf(StateEncodingException.class)
                    .hasMessageContaining("version " + version);
        }
    }

    @Test
    void shouldRejectBytesWhenPrecisionCodeIsUnknown() {
        for (int code : new int[] {2, 255}) {
            byte[] bytes = FLOAT32.encode(savedState());
            bytes[3] = (byte) code;

            assertThatThrownBy(() -> QrnnStateCodec.decode(bytes))
                    .isInstanceOf(StateEncodingException.class)
                    .hasMessageContaining("precision code " + code);
        }
    }

    @Test
    void shouldRejectBytesWhenTrailingBytesFollowTheState() {
        byte[] bytes = Arrays.copyOf(FLOAT32.encode(savedState()), FLOAT32.encodedSize(savedState()) + 3);

        assertThatThrownBy(() -> QrnnStateCodec.decode(bytes))
                .isInstanceOf(StateEncodingException.class)
                .hasMessageContaining("3 unexpected bytes");
    }

    @Test
    void shouldRejectBytesWhenCountsAreImpossible() {
        byte[] negativeUnits = FLOAT32.encode(savedState());
        negativeUnits[17] = (byte) 0x80;
        byte[] hugeWindow = FLOAT32.encode(savedState());
        hugeWindow[21] = 0x7F;
        byte[] noLayers = HexFormat.of().parseHex("515301002a0000000000000000" + "00");

        assertThatThrownBy(() -> QrnnStateCodec.decode(negativeUnits))
                .isInstanceOf(StateEncodingException.class).hasMessageContaining("negative hidden units");
        assertThatThrownBy(() -> QrnnStateCodec.decode(hugeWindow))
                .isInstanceOf(StateEncodingException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> QrnnStateCodec.decode(noLayers))
                .isInstanceOf(StateEncodingException.class).hasMessageContaining("at least one layer");
    }

    @Test
    void shouldDecodeSavedVersionOneEncodingsToTheSameState() {
        QrnnState fromFloat32 = QrnnStateCodec.decode(HexFormat.of().parseHex(SAVED_FLOAT32));
        QrnnState fromBfloat16 = QrnnStateCodec.decode(HexFormat.of().parseHex(SAVED_BFLOAT16));

        assertThat(fromFloat32).isEqualTo(savedState());
        assertThat(fromBfloat16).isEqualTo(savedState());
        assertThat(fromFloat32.layer(0).sharesHiddenWithCell()).isFalse();
        assertThat(fromFloat32.layer(1).sharesHiddenWithCell()).isTrue();
        assertThat(fromBfloat16.layer(1).sharesHiddenWithCell()).isTrue();
    }

    @Test
    void shouldEncodeTheSavedStateToTheSavedBytes() {
        assertThat(HexFormat.of().formatHex(FLOAT32.encode(savedState()))).isEqualTo(SAVED_FLOAT32);
        assertThat(HexFormat.of().formatHex(BFLOAT16.encode(savedState()))).isEqualTo(SAVED_BFLOAT16);
    }

    /** Values exact in bfloat16, so both saved encodings decode to exactly this state. */
    private static QrnnState savedState() {
        return new QrnnState(List.of(
                LayerState.of(Pooling.FO, new float[] {0.5f, -1.25f}, new float[] {0.375f, -0.0625f},
                        new float[] {1f, -2f, 0.25f}),
                LayerState.of(Pooling.F, new float[] {3f, -0.5f}, null, new float[] {0.125f, -4f, 8f, 0.75f})),
                42);
    }

    private static QrnnStack stackOf(Pooling pooling) {
        return QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(5).hiddenSize(7).layers(2).window(3).pooling(pooling).dense(true).build(),
                new Random(20 + pooling.ordinal()));
    }

    private static QrnnState stepped(QrnnStack stack) {
        try (CpuBackend backend = CpuBackend.vectorised()) {
            return backend.step(stack, QrnnState.initial(stack),
                    QrnnTestSupport.randomInputs(6, stack.inputSize(), new Random(30))).state();
        }
    }

    /** Rounding to 8 significant bits moves a value by at most half a unit of the 8th bit: 2^-8 relative. */
    private static void assertWithinBfloat16(String what, float[] decoded, float[] original) {
        assertThat(decoded).as(what).hasSameSizeAs(original);
        for (int i = 0; i < original.length; i++) {
            assertThat((double) Math.abs(decoded[i] - original[i]))
                    .as("%s[%d]: %s decoded as %s", what, i, original[i], decoded[i])
                    .isLessThanOrEqualTo(0x1p-8 * Math.abs(original[i]));
        }
    }
}
