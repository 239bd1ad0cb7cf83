package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.AdaptiveBackend;
import dev.qrnnstreams.nn.QrnnBackend;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which backend runs inference, chosen by configuration ({@value #SETTING}, default {@code auto}); both
 * backends are always compiled in, so one build serves machines with and without a GPU.
 */
public enum BackendSelection {
    /** {@link AdaptiveBackend#cpu()}. */
    CPU,
    /** {@link CudaBackend} on device 0; fails if CUDA cannot run. */
    CUDA,
    /** CUDA where it can run, otherwise the CPU, with one warning per JVM that says why. */
    AUTO;

    /** The setting's name, also read as a system property by {@link #fromSystemProperties()}. */
    public static final String SETTING = "qrnn.backend";

    private static final Logger LOG = LoggerFactory.getLogger(BackendSelection.class);
    /** Why CUDA could not run, once {@link #AUTO} found out: later opens go to the CPU without trying again. */
    private static volatile String cudaUnavailable;

    /**
     * Parses {@code cpu}, {@code cuda} or {@code auto}, in any case.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static BackendSelection parse(String value) {
        String normalised = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (BackendSelection selection : values()) {
            if (selection.name().equals(normalised)) {
                return selection;
            }
        }
        throw new IllegalArgumentException(SETTING + " must be cpu, cuda or auto, was '" + value + "'");
    }

    /** The selection the system property {@value #SETTING} names, {@link #AUTO} when it is unset. */
    public static BackendSelection fromSystemProperties() {
        return parse(System.getProperty(SETTING, "auto"));
    }

    /**
     * Opens the selected backend.
     *
     * @throws CudaUnavailableException for {@link #CUDA} where CUDA cannot run
     */
    public QrnnBackend open() {
        return switch (this) {
            case CPU -> AdaptiveBackend.cpu();
            case CUDA -> CudaBackend.open();
            case AUTO -> openCudaOrCpu();
        };
    }

    private static QrnnBackend openCudaOrCpu() {
        if (cudaUnavailable != null) {
            return AdaptiveBackend.cpu();
        }
        try {
            CudaBackend cuda = CudaBackend.open();
            LOG.info("{}=auto: running on CUDA device {}", SETTING, cuda.deviceDescription());
            return cuda;
        } catch (CudaUnavailableException e) {
            cudaUnavailable = e.getMessage();
            LOG.warn("{}=auto: CUDA cannot run here, so this JVM runs on the CPU: {}", SETTING, cudaUnavailable);
            return AdaptiveBackend.cpu();
        }
    }
}
