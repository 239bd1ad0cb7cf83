package dev.qrnnstreams.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * A text with its class label, and repeatable ways to split such texts into training and dev sets.
 *
 * @param text the raw text (markup included; the tokenizer's normaliser cleans it)
 * @param label the class index
 */
public record LabelledText(String text, int label) {

    /** Validates the fields. */
    public LabelledText {
        Objects.requireNonNull(text, "text");
        if (label < 0) {
            throw new IllegalArgumentException("label must not be negative, was " + label);
        }
    }

    /**
     * A repeatable split: the texts shuffled with {@code seed}, the first {@code devFraction} of them
     * the dev set and the rest the training set.
     */
    public static Split split(List<LabelledText> texts, double devFraction, long seed) {
        if (!(devFraction > 0 && devFraction < 1)) {
            throw new IllegalArgumentException("devFraction must be in (0, 1), was " + devFraction);
        }
        List<LabelledText> shuffled = new ArrayList<>(texts);
        Collections.shuffle(shuffled, new Random(seed));
        int dev = (int) Math.round(shuffled.size() * devFraction);
        return new Split(List.copyOf(shuffled.subList(dev, shuffled.size())), List.copyOf(shuffled.subList(0, dev)));
    }

    /**
     * A repeatable split stratified by class: the texts of each class (in label order) shuffled with one
     * {@code java.util.Random(seed)}, the first {@code round(devFraction * n_c)} of class c to the dev set
     * and the rest to the training set; then each set shuffled with the same generator, so neither is
     * ordered by class. Every class keeps its share in both sets, to within one text.
     */
    public static Split stratifiedSplit(List<LabelledText> texts, double devFraction, long seed) {
        if (!(devFraction > 0 && devFraction < 1)) {
            throw new IllegalArgumentException("devFraction must be in (0, 1), was " + devFraction);
        }
        TreeMap<Integer, List<LabelledText>> byClass = new TreeMap<>();
        texts.forEach(text -> byClass.computeIfAbsent(text.label(), label -> new ArrayList<>()).add(text));
        Random random = new Random(seed);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> dev = new ArrayList<>();
        for (List<LabelledText> members : byClass.values()) {
            Collections.shuffle(members, random);
            int held = (int) Math.round(members.size() * devFraction);
            dev.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        Collections.shuffle(train, random);
        Collections.shuffle(dev, random);
        return new Split(List.copyOf(train), List.copyOf(dev));
    }

    /**
     * A training set and a dev set.
     *
     * @param train texts to train on
     * @param dev texts held out to choose hyper-parameters
     */
    public record Split(List<LabelledText> train, List<LabelledText> dev) {
    }
}
