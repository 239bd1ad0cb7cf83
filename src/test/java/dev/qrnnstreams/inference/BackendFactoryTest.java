package dev.qrnnstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.cuda.CudaBackend;
import dev.qrnnstreams.nn.cuda.CudaUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BackendFactoryTest {

    @Test
    void shouldParseTheThreeValuesInAnyCase() {
        assertThat(BackendKind.parse("cpu")).isEqualTo(BackendKind.CPU);
        assertThat(BackendKind.parse(" CUDA ")).isEqualTo(BackendKind.CUDA);
        assertThat(BackendKind.parse("Auto")).isEqualTo(BackendKind.AUTO);
        assertThatThrownBy(() -> BackendKind.parse("gpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qrnn.backend must be cpu, cuda or auto, was 'gpu'");
    }

    @Test
    void shouldOpenTheCpuEntryPointForCpu() {
        try (QrnnBackend backend = new BackendFactory(BackendKind.CPU).open()) {
            assertThat(backend.name()).startsWith("adaptive(cpu-vector");
        }
    }

    @Test
    void shouldUseCudaForAutoExactlyWhenCudaCanRun() {
        boolean cudaRuns = cudaFailure().isEmpty();
        BackendFactory factory = new BackendFactory(BackendKind.AUTO);
        for (int call = 0; call < 2; call++) {
            try (QrnnBackend backend = factory.open()) {
                if (cudaRuns) {
                    assertThat(backend.name()).isEqualTo("cuda");
                } else {
                    assertThat(backend.name()).startsWith("adaptive(cpu-vector");
                }
            }
        }
    }

    @Test
    void shouldExplainWhatIsMissingWhenCudaIsRequiredButCannotRun() {
        Optional<CudaUnavailableException> failure = cudaFailure();
        Assumptions.assumeTrue(failure.isPresent(), "a CUDA device is present here");

        assertThatThrownBy(new BackendFactory(BackendKind.CUDA)::open).isInstanceOf(CudaUnavailableException.class)
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
