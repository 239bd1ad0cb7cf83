package dev.qrnnstreams.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory this JVM holds at a moment: the live heap after a full collection, and the resident set
 * (Linux {@code VmRSS}; -1 elsewhere), which also counts the embedded broker, the clients and native
 * memory (RocksDB, direct buffers, code).
 *
 * @param heapBytes heap in use after {@code System.gc()}
 * @param residentBytes resident set size
 */
record MemoryUse(long heapBytes, long residentBytes) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** Collects garbage and measures. */
    static MemoryUse measure() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return new MemoryUse(runtime.totalMemory() - runtime.freeMemory(), residentSetBytes());
    }

    private static long residentSetBytes() {
        try {
            return Files.readAllLines(STATUS).stream().filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> line.replaceAll("[^0-9]", "")).mapToLong(kib -> Long.parseLong(kib) * 1_024)
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
    }
}
