/**
 * Avro serdes in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) and the one
 * small adapter through which they reach a schema registry.
 */
package dev.qrnnstreams.streams.serde;
