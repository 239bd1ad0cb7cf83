package dev.qrnnstreams.train;

import dev.qrnnstreams.model.Tensor;
import dev.qrnnstreams.model.TensorFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A translator training run's checkpoint directory, rewritten after every epoch so that an interrupted
 * run resumes where the last epoch ended: {@code parameters.bin} (the parameter tensors,
 * {@link TensorFile}), {@code optimiser.bin} (the optimiser's state arrays, tensors {@code <slot>/<name>})
 * and {@code epochs.tsv} (the optimiser's step count on the first line, then one line
 * per finished epoch: epoch, loss, tokens per second, seconds, dev BLEU). Each file is written to a
 * temporary name and moved into place, {@code epochs.tsv} last, so a crash mid-save leaves the previous
 * checkpoint readable.
 */
public final class TranslatorCheckpoint {
    private static final String PARAMETERS = "parameters.bin";
    private static final String OPTIMISER = "optimiser.bin";
    private static final String EPOCHS = "epochs.tsv";
    private final Path directory;

    /** A checkpoint in {@code directory}, created on the first save. */
    public TranslatorCheckpoint(Path directory) {
        this.directory = directory;
    }

    /**
     * Loads the checkpoint, if there is one, into {@code parameters} and {@code optimiser}.
     *
     * @return the epochs the checkpoint had finished, empty when there is no checkpoint
     */
    public List<TranslatorTrainer.Epoch> resume(TranslatorParameters parameters, Optimiser optimiser)
            throws IOException {
        Path epochsFile = directory.resolve(EPOCHS);
        if (!Files.exists(epochsFile)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(epochsFile, StandardCharsets.UTF_8);
        int steps = Integer.parseInt(lines.get(0).trim());
        List<TranslatorTrainer.Epoch> epochs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            epochs.add(new TranslatorTrainer.Epoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                    Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
        }
        Map<String, float[]> saved = new LinkedHashMap<>();
        TensorFile.read(directory.resolve(PARAMETERS)).forEach((name, tensor) -> saved.put(name, tensor.values()));
        parameters.load(saved);
        Map<String, Tensor> optimiserTensors = TensorFile.read(directory.resolve(OPTIMISER));
        List<float[]> values = new ArrayList<>(parameters.live().values());
        List<float[]> slots = new ArrayList<>();
        for (String name : parameters.live().keySet()) {
            for (int slot = 0; slot < optimiser.slotsPerParameter(); slot++) {
                Tensor tensor = optimiserTensors.get(slot + "/" + name);
                if (tensor == null) {
                    throw new IOException(directory.resolve(OPTIMISER) + " has no tensor " + slot + "/" + name);
                }
                slots.add(tensor.values());
            }
        }
        optimiser.restore(values, new Optimiser.State(steps, slots));
        return List.copyOf(epochs);
    }

    /** Writes the state after {@code epochs}. */
    public void save(TranslatorParameters parameters, Optimiser optimiser, List<TranslatorTrainer.Epoch> epochs)
            throws IOException {
        Files.createDirectories(directory);
        Map<String, Tensor> values = new LinkedHashMap<>();
        Map<String, Tensor> moments = new LinkedHashMap<>();
        Optimiser.State state = optimiser.state(new ArrayList<>(parameters.live().values()));
        int index = 0;
        for (Map.Entry<String, float[]> entry : parameters.live().entrySet()) {
            int[] shape = {entry.getValue().length};
            values.put(entry.getKey(), new Tensor(shape, entry.getValue()));
            for (int slot = 0; slot < optimiser.slotsPerParameter(); slot++) {
                moments.put(slot + "/" + entry.getKey(), new Tensor(shape, state.slots().get(index++)));
            }
        }
        writeTensors(values, PARAMETERS);
        writeTensors(moments, OPTIMISER);
        StringBuilder text = new StringBuilder().append(optimiser.steps()).append('\n');
        for (TranslatorTrainer.Epoch epoch : epochs) {
            text.append(String.format(Locale.ROOT, "%d\t%.17g\t%.17g\t%.17g\t%.17g%n", epoch.epoch(), epoch.loss(),
                    epoch.tokensPerSecond(), epoch.seconds(), epoch.devBleu()));
        }
        Path temporary = directory.resolve(EPOCHS + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve(EPOCHS), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeTensors(Map<String, Tensor> tensors, String name) throws IOException {
        Path temporary = directory.resolve(name + ".tmp");
        TensorFile.write(tensors, temporary);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
