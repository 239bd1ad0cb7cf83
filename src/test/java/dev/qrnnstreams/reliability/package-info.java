/** The reliability suite: the service as separate processes under crashes, scaling, outages, load and TLS/SASL. */
package dev.qrnnstreams.reliability;
