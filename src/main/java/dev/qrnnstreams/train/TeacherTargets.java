package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * Distillation targets (Hinton, Vinyals, Dean 2015): a trained classifier's (the teacher's) class
 * probabilities after each whole text, read the way the stream reads it, mixed with the text's label:
 * {@code q = (1 - weight) e_y + weight p_teacher}. A student trained against {@code q} at the end of each
 * text ({@link ClassifierTrainer#ClassifierTrainer(ClassifierTrainer.Settings, List)}) learns the teacher's
 * confidence as well as the label.
 */
public final class TeacherTargets {
    private static final int BATCH = 64;

    private TeacherTargets() {
    }

    /**
     * One target per text of {@code texts}, in order.
     *
     * @param weight the teacher's share of each target, in [0, 1]
     * @throws IllegalArgumentException if the weight is outside [0, 1] or a label is not one of the teacher's classes
     */
    public static List<float[]> of(ClassifierBundle teacher, List<LabelledText> texts, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("the teacher's weight must be in [0, 1], was " + weight);
        }
        ClassifierFrontEnd frontEnd = ClassifierFrontEnd.of(teacher.input());
        int classes = teacher.head().classes();
        List<float[]> targets = new ArrayList<>(texts.size());
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (int from = 0; from < texts.size(); from += BATCH) {
                List<LabelledText> batch = texts.subList(from, Math.min(from + BATCH, texts.size()));
                List<float[]> chunks = new ArrayList<>();
                List<QrnnState> states = new ArrayList<>();
                for (LabelledText text : batch) {
                    InputRows rows = frontEnd.rows(text.text());
                    chunks.add(rows.values());
                    states.add(QrnnState.initial(teacher.stack(), teacher.readout()));
                }
                List<StepResult> results = backend.step(teacher.stack(), states, chunks);
                for (int i = 0; i < batch.size(); i++) {
                    int label = batch.get(i).label();
                    if (label < 0 || label >= classes) {
                        throw new IllegalArgumentException("label " + label + " is not one of the teacher's "
                                + classes + " classes");
                    }
                    StepResult result = results.get(i);
                    float[] target = teacher.head().probabilities(teacher.readout().features(teacher.readout()
                            .carry(states.get(i), result.state(), result.outputs(), result.timesteps())));
                    for (int c = 0; c < classes; c++) {
                        target[c] = (float) (weight * target[c] + (c == label ? 1 - weight : 0));
                    }
                    targets.add(target);
                }
            }
        }
        return targets;
    }
}
