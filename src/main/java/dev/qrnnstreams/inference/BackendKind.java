package dev.qrnnstreams.inference;

import java.util.Locale;

/** Where inference runs: the value of the setting {@value #SETTING}. */
public enum BackendKind {
    /** The CPU paths ({@code AdaptiveBackend.cpu()}). */
    CPU,
    /** A CUDA device; fails when none is usable. */
    CUDA,
    /** CUDA when a device is usable, else the CPU. */
    AUTO;

    /** The setting's name. */
    public static final String SETTING = "qrnn.backend";

    /**
     * Parses {@code cpu}, {@code cuda} or {@code auto}, in any case.
     *
     * @throws IllegalArgumentException naming the setting and the allowed values
     */
    public static BackendKind parse(String value) {
        String normalised = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (BackendKind kind : values()) {
            if (kind.name().equals(normalised)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(SETTING + " must be cpu, cuda or auto, was '" + value + "'");
    }
}
