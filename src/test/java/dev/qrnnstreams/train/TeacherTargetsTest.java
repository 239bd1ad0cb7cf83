package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.model.ClassifierArchitecture;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ClassifierInput;
import dev.qrnnstreams.model.ModelManifest;
import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A teacher's targets are its streamed prediction after each whole text, mixed with the label. */
class TeacherTargetsTest {
    private static final List<LabelledText> TEXTS = List.of(new LabelledText("a fine, moving film", 1),
            new LabelledText("dull", 0), new LabelledText("", 1), new LabelledText("the plot drags on and on", 2));

    private static ClassifierBundle teacher() {
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(5).hiddenSize(6).layers(2).window(2)
                .pooling(Pooling.FO).dense(true).build();
        ProjectionSpec projection = new ProjectionSpec(24, 2, 3, true);
        SplittableRandom random = new SplittableRandom(7);
        return new ClassifierBundle(new ModelManifest(ClassifierBundle.FORMAT_VERSION, "teacher", "1",
                ClassifierBundle.TASK, ClassifierArchitecture.projected(spec, projection, List.of("a", "b", "c")),
                Map.of(), Map.of(), Map.of(), Map.of()), new ClassifierInput.Projected(projection,
                DenseBottleneck.glorotUniform(24, 5, random)), QrnnStack.glorotUniform(spec, random),
                LinearSoftmaxHead.glorotUniform(6, 3, random));
    }

    @Test
    void shouldMixTheLabelWithTheTeachersPredictionAfterTheWholeText() {
        ClassifierBundle teacher = teacher();

        List<float[]> targets = TeacherTargets.of(teacher, TEXTS, 0.25);

        StreamingClassifier served = new StreamingClassifier(teacher);
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] p = served.classify(backend, TEXTS.get(i).text()).probabilities();
                for (int c = 0; c < 3; c++) {
                    double expected = 0.25 * p[c] + (c == TEXTS.get(i).label() ? 0.75 : 0);
                    assertThat((double) targets.get(i)[c]).as("text %d class %d", i, c).isCloseTo(expected,
                            within(1e-6));
                }
            }
        }
        assertThat(TeacherTargets.of(teacher, TEXTS, 0).get(3)).containsExactly(0f, 0f, 1f);
        assertThatThrownBy(() -> TeacherTargets.of(teacher, TEXTS, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
