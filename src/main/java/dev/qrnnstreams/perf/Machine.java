package dev.qrnnstreams.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine and runtime a run measured, in one line, for the report. */
final class Machine {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    private Machine() {
    }

    /** CPU model, cores, maximum heap, JDK and OS. */
    static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores seen by the JVM; JDK %s (%s); max heap %d MiB; %s %s",
                cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.version"));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(CPU_INFO).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException unavailable) {
            return System.getProperty("os.arch");
        }
    }
}
