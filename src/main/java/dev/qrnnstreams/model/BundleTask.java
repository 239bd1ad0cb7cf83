package dev.qrnnstreams.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which task a bundle directory holds, read from its {@code manifest.json} without loading the rest,
 * so that a caller can choose the reader ({@link ClassifierBundle} for {@value ClassifierBundle#TASK}).
 */
public final class BundleTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BundleTask() {
    }

    /**
     * The {@code task} field of the manifest in {@code directory}.
     *
     * @throws ModelFormatException if there is no manifest, it is not JSON or it names no task
     */
    public static String of(Path directory) throws IOException {
        Path manifest = directory.resolve(ClassifierBundle.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new ModelFormatException(directory + " is not a model bundle: " + manifest.getFileName()
                    + " is missing");
        }
        JsonNode root;
        try {
            root = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(manifest + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode task = root == null ? null : root.get("task");
        if (task == null || !task.isTextual()) {
            throw new ModelFormatException(manifest + " names no task");
        }
        return task.asText();
    }
}
