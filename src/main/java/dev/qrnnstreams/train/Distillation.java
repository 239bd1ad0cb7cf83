package dev.qrnnstreams.train;

import dev.qrnnstreams.model.ClassifierBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Distillation of a classifier from one trained classifier or from an ensemble of them ({@link TeacherTargets}),
 * optionally with unlabelled texts that the teachers label for the student (self-training).
 *
 * @param teachers the teachers' bundle directories, at least one; their classes must be the data's
 * @param weight the teachers' share of each labelled text's target, in [0, 1]
 * @param unlabelled texts without labels that the teachers label for the student, if any
 */
public record Distillation(List<Path> teachers, double weight, Optional<Unlabelled> unlabelled) {
    /** Validates the fields and copies the list. */
    public Distillation {
        teachers = List.copyOf(teachers);
        Objects.requireNonNull(unlabelled, "unlabelled");
        if (teachers.isEmpty()) {
            throw new IllegalArgumentException("distillation needs a teacher");
        }
    }

    /**
     * A file of unlabelled texts (CSV, TSV or JSON Lines, gzip or not) that the teachers label for the student:
     * self-training on in-domain text.
     *
     * @param file the file
     * @param reader how it is read: an unlabelled reader (text column only) that skips rows with no text
     * @param limit the most texts read, from the file's start (0: all)
     */
    public record Unlabelled(Path file, LabelledTextReader reader, int limit) {
        /** Validates the fields. */
        public Unlabelled {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reader, "reader");
            if (limit < 0) {
                throw new IllegalArgumentException("the limit must not be negative, was " + limit);
            }
        }

        /** The file's texts, up to the limit. */
        List<String> read() throws IOException {
            List<String> texts = reader.read(file).rows().stream().map(LabelledTextReader.Row::text).toList();
            return limit > 0 && texts.size() > limit ? texts.subList(0, limit) : texts;
        }
    }

    /**
     * What the trainer reads.
     *
     * @param teachers the teachers read (none without distillation)
     * @param texts the training split's texts, then the unlabelled texts with the teachers' labels
     * @param targets one class distribution per text of {@code texts}, or none (no distillation)
     * @param unlabelled how many of the texts came from the unlabelled file
     */
    record TrainingTexts(List<ClassifierBundle> teachers, List<LabelledText> texts, List<float[]> targets,
                         int unlabelled) {
        /** The training split's texts alone, scored against their labels. */
        static TrainingTexts undistilled(List<LabelledText> train) {
            return new TrainingTexts(List.of(), train, List.of(), 0);
        }
    }

    /** The part of a checkpoint key that names the teachers, their weight and the unlabelled texts. */
    String key() {
        return " distil=" + teachers.stream().map(t -> t.toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(",")) + " weight=" + weight
                + unlabelled.map(u -> " unlabelled=" + u.file().toAbsolutePath().normalize() + " "
                        + u.reader().settings() + " limit=" + u.limit()).orElse("");
    }

    /**
     * Reads the teachers and returns the training split's texts with their targets, then the unlabelled texts
     * the teachers labelled, logging what the teachers did and how long it took.
     *
     * @throws IllegalArgumentException if a teacher's classes are not the data's
     * @throws IOException if a teacher or the unlabelled file cannot be read
     */
    TrainingTexts trainingTexts(ClassificationData data, Consumer<String> log) throws IOException {
        List<ClassifierBundle> bundles = new ArrayList<>();
        for (Path directory : teachers) {
            ClassifierBundle teacher = ClassifierBundle.read(directory);
            List<String> classes = teacher.manifest().architecture().labels();
            if (!classes.equals(data.labels())) {
                throw new IllegalArgumentException("the teacher " + teacher.manifest().name() + "'s classes "
                        + classes + " are not the data's " + data.labels());
            }
            bundles.add(teacher);
        }
        List<LabelledText> train = data.split().train();
        long start = System.nanoTime();
        List<float[]> targets = new ArrayList<>(TeacherTargets.of(bundles, train, weight));
        log.accept(String.format(Locale.ROOT, "teachers %s: targets of %d training texts (%.1f s)", bundles.stream()
                        .map(t -> t.manifest().name() + " " + t.manifest().version()).collect(Collectors.joining(", ")),
                targets.size(), (System.nanoTime() - start) / 1e9));
        if (unlabelled.isEmpty()) {
            return new TrainingTexts(bundles, train, targets, 0);
        }
        start = System.nanoTime();
        TeacherTargets.PseudoLabelled labelled = TeacherTargets.pseudoLabelled(bundles, unlabelled.get().read());
        log.accept(String.format(Locale.ROOT, "unlabelled %s: %d texts labelled by the teachers, per class %s (%.1f s)",
                unlabelled.get().file(), labelled.texts().size(), classCounts(data.labels(), labelled.texts()),
                (System.nanoTime() - start) / 1e9));
        List<LabelledText> texts = new ArrayList<>(train);
        texts.addAll(labelled.texts());
        targets.addAll(labelled.targets());
        return new TrainingTexts(bundles, texts, targets, labelled.texts().size());
    }

    private static String classCounts(List<String> labels, List<LabelledText> texts) {
        int[] counts = ClassLabels.of(labels).counts(texts);
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            parts.add(labels.get(c) + " " + counts[c]);
        }
        return String.join(", ", parts);
    }
}
