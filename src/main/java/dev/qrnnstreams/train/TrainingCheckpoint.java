package dev.qrnnstreams.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a training run needs to continue exactly where it stopped: the parameters, the
 * optimiser's state, the position in the run (epoch and next batch), the running sums of the current
 * epoch and the finished epochs' results.
 *
 * <p>The random streams need no saved state: the shuffle of each epoch and the noise of each batch are
 * drawn from generators seeded by the run's seed, the epoch and the batch (see
 * {@link ClassifierTrainer}), so the position is the random state.
 *
 * <p>File layout (big-endian, {@link DataOutputStream}): magic {@code QCKP}, version int, the run's
 * settings key (UTF), epoch int, next batch int, epoch loss sum double, epoch tokens long, epoch
 * seconds double, total seconds double, finished epochs (count int, then epoch int, loss double,
 * tokens/s double, dev accuracy double, seconds double each), parameter arrays (count int, then length
 * int and floats each), optimiser steps int, optimiser arrays (count int, then length int and floats
 * each). {@link #write} replaces the file atomically, so an interruption leaves the previous
 * checkpoint intact.
 *
 * @param settingsKey what the run was started with; a resumed run must present the same key
 * @param epoch the 1-based epoch in progress
 * @param nextBatch the 0-based index of the next batch of that epoch
 * @param epochLossSum the sum of the batch losses of that epoch so far
 * @param epochTokens the tokens of that epoch so far
 * @param epochSeconds the training seconds of that epoch so far
 * @param totalSeconds the training seconds of the whole run so far
 * @param finished the results of the finished epochs
 * @param parameters the parameter arrays in {@link ClassifierParameters#values()} order
 * @param optimiser the optimiser's state for those arrays
 */
public record TrainingCheckpoint(String settingsKey, int epoch, int nextBatch, double epochLossSum, long epochTokens,
                                 double epochSeconds, double totalSeconds, List<ClassifierTrainer.Epoch> finished,
                                 List<float[]> parameters, Optimiser.State optimiser) {
    private static final int MAGIC = 0x51434b50;
    private static final int VERSION = 1;

    /** Copies the lists. */
    public TrainingCheckpoint {
        Objects.requireNonNull(settingsKey, "settingsKey");
        finished = List.copyOf(finished);
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(optimiser, "optimiser");
    }

    /** Writes to {@code path} through a temporary file in the same directory and an atomic rename. */
    public void write(Path path) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, path.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary),
                    1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(settingsKey);
                out.writeInt(epoch);
                out.writeInt(nextBatch);
                out.writeDouble(epochLossSum);
                out.writeLong(epochTokens);
                out.writeDouble(epochSeconds);
                out.writeDouble(totalSeconds);
                out.writeInt(finished.size());
                for (ClassifierTrainer.Epoch e : finished) {
                    out.writeInt(e.epoch());
                    out.writeDouble(e.loss());
                    out.writeDouble(e.tokensPerSecond());
                    out.writeDouble(e.devAccuracy());
                    out.writeDouble(e.seconds());
                }
                writeArrays(out, parameters);
                out.writeInt(optimiser.steps());
                writeArrays(out, optimiser.slots());
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @throws IOException if the file is not a checkpoint of this version or is truncated
     */
    public static TrainingCheckpoint read(Path path) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(path + " is not a training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(path + " is checkpoint version " + version + "; this build reads " + VERSION);
            }
            String key = in.readUTF();
            int epoch = in.readInt();
            int nextBatch = in.readInt();
            double lossSum = in.readDouble();
            long tokens = in.readLong();
            double epochSeconds = in.readDouble();
            double totalSeconds = in.readDouble();
            int count = in.readInt();
            List<ClassifierTrainer.Epoch> finished = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                finished.add(new ClassifierTrainer.Epoch(in.readInt(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble()));
            }
            List<float[]> parameters = readArrays(in);
            int steps = in.readInt();
            List<float[]> slots = readArrays(in);
            if (in.read() != -1) {
                throw new IOException(path + " has bytes after the checkpoint");
            }
            return new TrainingCheckpoint(key, epoch, nextBatch, lossSum, tokens, epochSeconds, totalSeconds, finished,
                    parameters, new Optimiser.State(steps, slots));
        } catch (EOFException e) {
            throw new IOException(path + " is truncated", e);
        }
    }

    private static void writeArrays(DataOutputStream out, List<float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (float[] array : arrays) {
            out.writeInt(array.length);
            for (float value : array) {
                out.writeFloat(value);
            }
        }
    }

    private static List<float[]> readArrays(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<float[]> arrays = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] array = new float[in.readInt()];
            for (int j = 0; j < array.length; j++) {
                array[j] = in.readFloat();
            }
            arrays.add(array);
        }
        return arrays;
    }
}
