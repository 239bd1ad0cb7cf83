package dev.qrnnstreams.inference;

import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import dev.qrnnstreams.nn.cuda.CudaBackend;
import dev.qrnnstreams.nn.cuda.CudaUnavailableException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend of one {@link BackendKind}, each call a new one (a backend is confined to one
 * thread). The CUDA classes, and through them the native CUDA libraries, are loaded only when a call
 * first asks for CUDA. Under {@link BackendKind#AUTO} the first failure to start CUDA is logged once and
 * remembered by this factory, so later calls go straight to the CPU; a new factory tries again.
 *
 * <p>Thread-safe.
 */
public final class BackendFactory {
    private static final Logger LOG = LoggerFactory.getLogger(BackendFactory.class);

    private final BackendKind kind;
    private final int cpuThreads;
    private volatile String cudaUnavailable;

    /** A factory of backends of {@code kind} whose CPU kernels split their work over every core. */
    public BackendFactory(BackendKind kind) {
        this(kind, Runtime.getRuntime().availableProcessors());
    }

    /**
     * A factory of backends of {@code kind} whose CPU kernels split their work over at most {@code cpuThreads}
     * cores, the calling thread's included.
     */
    public BackendFactory(BackendKind kind, int cpuThreads) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (cpuThreads < 1) {
            throw new IllegalArgumentException("cpuThreads must be at least 1, was " + cpuThreads);
        }
        this.cpuThreads = cpuThreads;
    }

    /**
     * Opens a backend; the caller closes it.
     *
     * @throws CudaUnavailableException for {@link BackendKind#CUDA} where CUDA cannot run
     */
    public QrnnBackend open() {
        return switch (kind) {
            case CPU -> AdaptiveBackend.cpu(cpuThreads);
            case CUDA -> CudaBackend.open();
            case AUTO -> openCudaOrCpu();
        };
    }

    private QrnnBackend openCudaOrCpu() {
        if (cudaUnavailable != null) {
            return AdaptiveBackend.cpu(cpuThreads);
        }
        try {
            CudaBackend cuda = CudaBackend.open();
            LOG.info("{}=auto: running on CUDA device {}", BackendKind.SETTING, cuda.deviceDescription());
            return cuda;
        } catch (CudaUnavailableException e) {
            cudaUnavailable = e.getMessage();
            LOG.warn("{}=auto: CUDA cannot run here, so this service runs on the CPU: {}", BackendKind.SETTING,
                    cudaUnavailable);
            return AdaptiveBackend.cpu(cpuThreads);
        }
    }
}
