package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards checkpoints: a run interrupted (after an epoch, or in the middle of one) and resumed from its
 * last checkpoint ends with exactly the parameters, optimiser state and epoch results of the same run
 * done in one go.
 */
class ClassifierTrainerResumeTest {
    private static final QrnnStackSpec SPEC = QrnnStackSpec.builder().inputSize(8).hiddenSize(12).layers(2)
            .window(2).pooling(Pooling.FO).dense(true).zoneout(0.1).dropout(0.2).build();
    private static final String KEY = "test run";

    @TempDir
    Path directory;

    @Test
    void shouldEndWithIdenticalParametersWhenResumedAfterTheFirstEpoch() throws IOException {
        assertResumesExactly(Optional.empty(), "adam");
    }

    @Test
    void shouldEndWithIdenticalParametersWhenResumedInTheMiddleOfAnEpochWithRmsProp() throws IOException {
        assertResumesExactly(Optional.of(5), "rmsprop");
    }

    @Test
    void shouldRefuseACheckpointOfAnotherRun() throws IOException {
        Data data = data();
        Path file = directory.resolve("checkpoint.bin");
        trainer(1).train(fresh(data), data.encoding(), data.train, data.dev, optimiser("adam").get(),
                new ClassifierTrainer.Listener() { }, checkpointing(file), Optional.empty());
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);

        assertThatThrownBy(() -> trainer(1).train(fresh(data), data.encoding(), data.train, data.dev,
                optimiser("adam").get(), new ClassifierTrainer.Listener() { },
                new ClassifierTrainer.Checkpointing("another run", Optional.of(file), Duration.ZERO),
                Optional.of(checkpoint)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other settings");
    }

    private void assertResumesExactly(Optional<Integer> stopAfterBatchOfSecondEpoch, String optimiserName)
            throws IOException {
        Data data = data();
        Supplier<Optimiser> optimisers = optimiser(optimiserName);
        ClassifierParameters straight = fresh(data);
        Optimiser straightOptimiser = optimisers.get();
        ClassifierTrainer.Run whole = trainer(2).train(straight, data.encoding(), data.train, data.dev,
                straightOptimiser, new ClassifierTrainer.Listener() { });

        Path file = directory.resolve("checkpoint.bin");
        ClassifierParameters interrupted = fresh(data);
        assertThatThrownBy(() -> trainer(2).train(interrupted, data.encoding(), data.train, data.dev,
                optimisers.get(), new Interrupt(stopAfterBatchOfSecondEpoch), checkpointing(file), Optional.empty()))
                .isInstanceOf(Interrupted.class);
        TrainingCheckpoint checkpoint = TrainingCheckpoint.read(file);
        assertThat(checkpoint.epoch()).isEqualTo(2);
        assertThat(checkpoint.nextBatch()).isEqualTo(stopAfterBatchOfSecondEpoch.orElse(0));

        ClassifierParameters resumed = fresh(data);
        Optimiser resumedOptimiser = optimisers.get();
        ClassifierTrainer.Run rest = trainer(2).train(resumed, data.encoding(), data.train, data.dev,
                resumedOptimiser, new ClassifierTrainer.Listener() { }, checkpointing(file), Optional.of(checkpoint));

        List<float[]> expected = straight.values();
        List<float[]> actual = resumed.values();
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("parameter array %d", i).containsExactly(expected.get(i));
        }
        List<float[]> expectedState = straightOptimiser.state(expected).slots();
        List<float[]> actualState = resumedOptimiser.state(actual).slots();
        for (int i = 0; i < expectedState.size(); i++) {
            assertThat(actualState.get(i)).as("optimiser array %d", i).containsExactly(expectedState.get(i));
        }
        assertThat(resumedOptimiser.steps()).isEqualTo(straightOptimiser.steps());
        assertThat(rest.epochs()).hasSize(2);
        for (int e = 0; e < 2; e++) {
            assertThat(rest.epochs().get(e).loss()).isEqualTo(whole.epochs().get(e).loss());
            assertThat(rest.epochs().get(e).devAccuracy()).isEqualTo(whole.epochs().get(e).devAccuracy());
        }
        assertThat(Files.list(directory)).as("no temporary file left").containsExactly(file);
    }

    private static ClassifierTrainer trainer(int epochs) {
        return new ClassifierTrainer(new ClassifierTrainer.Settings(epochs, 8, 2, 99, 12, false,
                LearningRateSchedule.Shape.COSINE, 1e-2, 3));
    }

    private static ClassifierTrainer.Checkpointing checkpointing(Path file) {
        return new ClassifierTrainer.Checkpointing(KEY, Optional.of(file), Duration.ZERO);
    }

    private static Supplier<Optimiser> optimiser(String name) {
        return "adam".equals(name) ? () -> AdamW.builder().weightDecay(0.01).clipNorm(1).build()
                : () -> RmsProp.builder().weightDecay(0.01).clipNorm(1).build();
    }

    private static ClassifierParameters fresh(Data data) {
        return ClassifierParameters.initial(SPEC, data.tokenizer.vocabulary().size(), 2, new SplittableRandom(3));
    }

    private record Data(BpeTokenizer tokenizer, List<LabelledText> train, List<LabelledText> dev) {
        ClassifierEncoding encoding() {
            return new ClassifierEncoding.Tokens(tokenizer);
        }
    }

    private static Data data() {
        SplittableRandom random = new SplittableRandom(5);
        String[] words = {"good", "bad", "plot", "film", "great", "dull", "actor", "scene", "fine", "awful"};
        List<LabelledText> texts = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(3, 16);
            for (int w = 0; w < length; w++) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            texts.add(new LabelledText(text.toString(), random.nextInt(2)));
        }
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(300).build()
                .train(texts.stream().map(LabelledText::text).toList());
        return new Data(tokenizer, texts.subList(0, 70), texts.subList(70, 90));
    }

    /** Stops a run after the first epoch, or after a given batch of the second, as a crash would. */
    private static final class Interrupt implements ClassifierTrainer.Listener {
        private final Optional<Integer> batchOfSecondEpoch;

        Interrupt(Optional<Integer> batchOfSecondEpoch) {
            this.batchOfSecondEpoch = batchOfSecondEpoch;
        }

        @Override
        public void batch(ClassifierTrainer.Progress progress) {
            if (progress.epoch() == 2 && batchOfSecondEpoch.isPresent() && progress.batch() == batchOfSecondEpoch.get()) {
                throw new Interrupted();
            }
        }

        @Override
        public void epoch(ClassifierTrainer.Epoch epoch) {
            if (batchOfSecondEpoch.isEmpty()) {
                throw new Interrupted();
            }
        }
    }

    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
