package dev.qrnnstreams.nn.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.QrnnBackend;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {

    @Test
    void shouldParseTheThreeValuesInAnyCase() {
        assertThat(BackendSelection.parse("cpu")).isEqualTo(BackendSelection.CPU);
        assertThat(BackendSelection.parse(" CUDA ")).isEqualTo(BackendSelection.CUDA);
        assertThat(BackendSelection.parse("Auto")).isEqualTo(BackendSelection.AUTO);
        assertThatThrownBy(() -> BackendSelection.parse("gpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qrnn.backend must be cpu, cuda or auto, was 'gpu'");
    }

    @Test
    void shouldOpenTheCpuEntryPointForCpu() {
        try (QrnnBackend backend = BackendSelection.CPU.open()) {
            assertThat(backend.name()).startsWith("adaptive(cpu-vector");
        }
    }

    @Test
    void shouldUseCudaForAutoExactlyWhenCudaCanRun() {
        boolean cudaRuns = cudaFailure().isEmpty();
        try (QrnnBackend backend = BackendSelection.AUTO.open()) {
            if (cudaRuns) {
                assertThat(backend.name()).isEqualTo("cuda");
            } else {
                assertThat(backend.name()).startsWith("adaptive(cpu-vector");
            }
        }
    }

    @Test
    void shouldExplainWhatIsMissingWhenCudaIsRequiredButCannotRun() {
        Optional<CudaUnavailableException> failure = cudaFailure();
        Assumptions.assumeTrue(failure.isPresent(), "a CUDA device is present here");

        assertThatThrownBy(BackendSelection.CUDA::open).isInstanceOf(CudaUnavailableException.class)
                .hasMessageContaining("CUDA").hasMessageContaining("install");
    }

    private static Optional<CudaUnavailableException> cudaFailure() {
        try (CudaBackend cuda = CudaBackend.open()) {
            return Optional.empty();
        } catch (CudaUnavailableException e) {
            return Optional.of(e);
        }
    }
}
