package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import dev.qrnnstreams.model.ClassifierBundle;
import java.util.ArrayList;
import java.util.List;

/**
 * Distillation targets (Hinton, Vinyals, Dean 2015): the class probabilities of one or more trained
 * classifiers (the teachers; several are an ensemble, their probabilities averaged) after each whole text,
 * read the way the stream reads it.
 *
 * <p>For a labelled text the target mixes the teachers with the label, {@code q = (1 - weight) e_y + weight
 * p_teachers}; a student trained against {@code q} at the end of each text
 * ({@link ClassifierTrainer#ClassifierTrainer(ClassifierTrainer.Settings, List)}) learns the teachers'
 * confidence as well as the label. An unlabelled text becomes a training text of its own (self-training,
 * as in Xie et al. 2020): its target is {@code p_teachers}, its label the teachers' most likely class.
 */
public final class TeacherTargets {
    private TeacherTargets() {
    }

    /**
     * Unlabelled texts labelled by the teachers.
     *
     * @param texts each text with the teachers' most likely class as its label
     * @param targets each text's mean teacher probabilities, in the order of {@code texts}
     */
    public record PseudoLabelled(List<LabelledText> texts, List<float[]> targets) {
        /** Copies the lists. */
        public PseudoLabelled {
            texts = List.copyOf(texts);
            targets = List.copyOf(targets);
        }
    }

    /**
     * One target per text of {@code texts}, in order: its label mixed with the teachers' mean probabilities.
     *
     * @param weight the teachers' share of each target, in [0, 1]
     * @throws IllegalArgumentException if the weight is outside [0, 1], there is no teacher, the teachers' class
     *     counts differ or a label is not one of their classes
     */
    public static List<float[]> of(List<ClassifierBundle> teachers, List<LabelledText> texts, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("the teachers' weight must be in [0, 1], was " + weight);
        }
        List<float[]> targets = probabilities(teachers, texts.stream().map(LabelledText::text).toList());
        for (int i = 0; i < texts.size(); i++) {
            float[] target = targets.get(i);
            int label = texts.get(i).label();
            if (label >= target.length) {
                throw new IllegalArgumentException("label " + label + " is not one of the teachers' "
                        + target.length + " classes");
            }
            for (int c = 0; c < target.length; c++) {
                target[c] = (float) (weight * target[c] + (c == label ? 1 - weight : 0));
            }
        }
        return targets;
    }

    /** {@code texts} labelled by the teachers: their mean probabilities as targets, the most likely class as labels. */
    public static PseudoLabelled pseudoLabelled(List<ClassifierBundle> teachers, List<String> texts) {
        List<float[]> targets = probabilities(teachers, texts);
        List<LabelledText> labelled = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            labelled.add(new LabelledText(texts.get(i), ClassifierEvaluation.argmax(targets.get(i))));
        }
        return new PseudoLabelled(labelled, targets);
    }

    /**
     * The teachers' mean class probabilities after each whole text of {@code texts}, in order, each teacher's
     * from its {@link ClassifierEvaluation} of the texts (whose labels it does not use).
     *
     * @throws IllegalArgumentException if there is no teacher or the teachers' class counts differ
     */
    public static List<float[]> probabilities(List<ClassifierBundle> teachers, List<String> texts) {
        if (teachers.isEmpty()) {
            throw new IllegalArgumentException("no teacher");
        }
        int classes = teachers.get(0).head().classes();
        List<LabelledText> unlabelled = texts.stream().map(text -> new LabelledText(text, 0)).toList();
        List<float[]> sums = new ArrayList<>(texts.size());
        texts.forEach(text -> sums.add(new float[classes]));
        for (ClassifierBundle teacher : teachers) {
            if (teacher.head().classes() != classes) {
                throw new IllegalArgumentException("the teachers' class counts differ: " + classes + " and "
                        + teacher.head().classes());
            }
            List<ClassifierEvaluation.Prediction> predictions = ClassifierEvaluation.of(
                    ClassifierFrontEnd.of(teacher.input()), teacher.stack(), teacher.head(), teacher.readout(),
                    unlabelled).predictions();
            for (int i = 0; i < texts.size(); i++) {
                float[] p = predictions.get(i).probabilities();
                float[] sum = sums.get(i);
                for (int c = 0; c < classes; c++) {
                    sum[c] += p[c];
                }
            }
        }
        for (float[] sum : sums) {
            for (int c = 0; c < classes; c++) {
                sum[c] /= teachers.size();
            }
        }
        return sums;
    }
}
