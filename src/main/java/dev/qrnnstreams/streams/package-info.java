/** The Kafka Streams service: topology factory, the stateful batching processor, dead letters and metrics. */
package dev.qrnnstreams.streams;
