/** The end-to-end performance harness behind {@code qrnn bench}: the service against its ceilings and alternatives. */
package dev.qrnnstreams.perf;
