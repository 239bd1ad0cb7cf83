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

/**
 * Teachers' targets are their mean streamed prediction after each whole text, mixed with the label; unlabelled
 * texts take the mean as their target and its most likely class as their label.
 */
class TeacherTargetsTest {
    private static final List<LabelledText> TEXTS = List.of(new LabelledText("a fine, moving film", 1),
            new LabelledText("dull", 0), new LabelledText("", 1), new LabelledText("the plot drags on and on", 2));

    private static ClassifierBundle teacher(long seed, int classes) {
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(5).hiddenSize(6).layers(2).window(2)
                .pooling(Pooling.FO).dense(true).build();
        ProjectionSpec projection = new ProjectionSpec(24, 2, 3, true);
        SplittableRandom random = new SplittableRandom(seed);
        List<String> labels = List.of("a", "b", "c", "d").subList(0, classes);
        return new ClassifierBundle(new ModelManifest(ClassifierBundle.FORMAT_VERSION, "teacher", "1",
                ClassifierBundle.TASK, ClassifierArchitecture.projected(spec, projection, labels),
                Map.of(), Map.of(), Map.of(), Map.of()), new ClassifierInput.Projected(projection,
                DenseBottleneck.glorotUniform(24, 5, random)), QrnnStack.glorotUniform(spec, random),
                LinearSoftmaxHead.glorotUniform(6, classes, random));
    }

    /** Each teacher's served probabilities after each whole text, [teacher][text][class]. */
    private static float[][][] served(List<ClassifierBundle> teachers) {
        float[][][] p = new float[teachers.size()][TEXTS.size()][];
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (int t = 0; t < teachers.size(); t++) {
                StreamingClassifier classifier = new StreamingClassifier(teachers.get(t));
                for (int i = 0; i < TEXTS.size(); i++) {
                    p[t][i] = classifier.classify(backend, TEXTS.get(i).text()).probabilities();
                }
            }
        }
        return p;
    }

    @Test
    void shouldMixTheLabelWithTheTeachersPredictionAfterTheWholeText() {
        ClassifierBundle teacher = teacher(7, 3);

        List<float[]> targets = TeacherTargets.of(List.of(teacher), TEXTS, 0.25);

        float[][] p = served(List.of(teacher))[0];
        for (int i = 0; i < TEXTS.size(); i++) {
            for (int c = 0; c < 3; c++) {
                double expected = 0.25 * p[i][c] + (c == TEXTS.get(i).label() ? 0.75 : 0);
                assertThat((double) targets.get(i)[c]).as("text %d class %d", i, c).isCloseTo(expected, within(1e-6));
            }
        }
        assertThat(TeacherTargets.of(List.of(teacher), TEXTS, 0).get(3)).containsExactly(0f, 0f, 1f);
        assertThatThrownBy(() -> TeacherTargets.of(List.of(teacher), TEXTS, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAverageAnEnsemblesProbabilitiesAndLabelUnlabelledTextsWithTheirMostLikelyClass() {
        List<ClassifierBundle> teachers = List.of(teacher(7, 3), teacher(8, 3), teacher(9, 3));
        List<String> texts = TEXTS.stream().map(LabelledText::text).toList();

        TeacherTargets.PseudoLabelled labelled = TeacherTargets.pseudoLabelled(teachers, texts);

        float[][][] p = served(teachers);
        for (int i = 0; i < texts.size(); i++) {
            double[] mean = new double[3];
            int best = 0;
            for (int c = 0; c < 3; c++) {
                for (float[][] teacher : p) {
                    mean[c] += teacher[i][c] / 3.0;
                }
                assertThat((double) labelled.targets().get(i)[c]).as("text %d class %d", i, c)
                        .isCloseTo(mean[c], within(1e-6));
                best = mean[c] > mean[best] ? c : best;
            }
            assertThat(labelled.texts().get(i)).isEqualTo(new LabelledText(texts.get(i), best));
        }
        assertThat(labelled.texts().stream().map(LabelledText::label).distinct().count())
                .as("the teachers disagree on these texts' classes").isGreaterThan(1);
    }

    @Test
    void shouldRefuseTeachersWithDifferentClassesOrNone() {
        List<String> texts = List.of("dull");

        assertThatThrownBy(() -> TeacherTargets.probabilities(List.of(teacher(7, 3), teacher(8, 4)), texts))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class counts differ");
        assertThatThrownBy(() -> TeacherTargets.probabilities(List.of(), texts))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no teacher");
    }
}
