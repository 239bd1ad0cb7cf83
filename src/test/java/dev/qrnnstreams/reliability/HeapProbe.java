package dev.qrnnstreams.reliability;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The used heap of another JVM, read with the JDK's {@code jcmd <pid> GC.heap_info}, as an operator would. */
final class HeapProbe {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private HeapProbe() {
    }

    /** Used heap in bytes of JVM {@code pid}, or -1 when it cannot be read. */
    static long usedBytes(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return -1;
            }
            Matcher used = USED.matcher(output);
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
