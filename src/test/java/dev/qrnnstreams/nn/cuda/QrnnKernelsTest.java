package dev.qrnnstreams.nn.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel source compiles for Hopper (sm_90) with the options the backend uses, and defines every
 * kernel the backend looks up. Needs no GPU: nvcc and NVRTC compile without one (though JavaCPP loads
 * NVRTC only together with the driver library). Each compiler check is skipped, with the reason, where
 * that compiler is not installed, except that NVRTC's fails under {@link CudaDevices#REQUIRED}.
 */
class QrnnKernelsTest {

    @Test
    void shouldDefineEveryKernelTheBackendLaunchesWithCLinkage() {
        String source = QrnnKernels.source();
        for (String name : QrnnKernels.kernelNames()) {
            assertThat(source).as("kernel " + name).contains("extern \"C\" __global__ void " + name + "(");
        }
    }

    @Test
    void shouldTargetTheDeviceArchitectureAsACubinWithoutFusedMultiplyAdds() {
        assertThat(QrnnKernels.options(9, 0)).containsExactly("--gpu-architecture=sm_90", "--fmad=false");
    }

    @Test
    void shouldCompileWithNvrtcForHopper() {
        try {
            CudaCalls.loadNvrtc();
        } catch (CudaUnavailableException e) {
            if (Boolean.getBoolean(CudaDevices.REQUIRED)) {
                throw new AssertionError(CudaDevices.REQUIRED + " is set but NVRTC cannot be loaded", e);
            }
            Assumptions.abort("NVRTC is not installed here (" + e.getMessage() + ")");
        }
        byte[] cubin = QrnnKernels.compileCubin(9, 0);

        assertDefinesEveryKernel(cubin);
    }

    @Test
    void shouldCompileWithNvccForHopperWithoutWarnings(@TempDir Path dir) throws IOException, InterruptedException {
        Optional<Path> nvcc = nvcc();
        Assumptions.assumeTrue(nvcc.isPresent(), "nvcc is not on PATH nor in /usr/local/cuda/bin");
        Path source = Files.writeString(dir.resolve(QrnnKernels.PROGRAM_NAME), QrnnKernels.source());
        Path cubin = dir.resolve("qrnn-kernels.cubin");
        List<String> command = new ArrayList<>(List.of(nvcc.get().toString(), "--cubin", "-arch=sm_90",
                "--fmad=false", "-Werror", "all-warnings", "-o", cubin.toString(), source.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("nvcc finished").isTrue();

        assertThat(process.exitValue()).as("nvcc exit status; its output:\n" + log).isZero();
        assertDefinesEveryKernel(Files.readAllBytes(cubin));
    }

    private static void assertDefinesEveryKernel(byte[] cubin) {
        String symbols = new String(cubin, StandardCharsets.ISO_8859_1);
        assertThat(cubin).as("cubin").isNotEmpty();
        for (String name : QrnnKernels.kernelNames()) {
            assertThat(symbols).as("symbol " + name + " in the cubin").contains(name + "\0");
        }
    }

    private static Optional<Path> nvcc() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (!directory.isEmpty()) {
                candidates.add(Path.of(directory, "nvcc"));
            }
        }
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
