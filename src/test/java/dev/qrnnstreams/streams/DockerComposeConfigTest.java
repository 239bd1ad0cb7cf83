package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml passes Compose's own validation ({@code config -q}: schema, option names, depends_on
 * conditions, interpolation). Needs no Docker engine, only the Compose tool: Debian's {@code docker-compose}
 * or the {@code docker compose} plugin. Skipped where neither is installed.
 */
class DockerComposeConfigTest {
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    @Test
    void shouldPassComposeValidation() throws IOException, InterruptedException {
        Optional<List<String>> compose = composeCommand();
        Assumptions.assumeTrue(compose.isPresent(),
                "neither docker-compose nor docker compose is installed: apt-get install docker-compose");
        List<String> command = new ArrayList<>(compose.orElseThrow());
        command.addAll(List.of("--file", "docker-compose.yml", "config", "--quiet"));

        Result result = run(command);

        assertThat(result.exitCode()).as("%s said:%n%s", String.join(" ", command), result.output()).isZero();
    }

    /** The first Compose tool that answers {@code version}: docker-compose, then docker compose. */
    private static Optional<List<String>> composeCommand() throws InterruptedException {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                if (run(version).exitCode() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException notInstalled) {
                // this candidate is not on the PATH; try the next
            }
        }
        return Optional.empty();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }
}
