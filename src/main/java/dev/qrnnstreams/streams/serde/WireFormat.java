package dev.qrnnstreams.streams.serde;

/**
 * The Confluent wire format of a record value or key: byte 0 is the magic byte {@code 0}, bytes 1-4
 * the schema id (big-endian int32) under which the registry knows the writer's schema, and the rest
 * the Avro binary encoding. Subjects follow the TopicNameStrategy: {@code <topic>-value} and
 * {@code <topic>-key}.
 */
final class WireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_BYTES = 5;

    private WireFormat() {
    }

    /** The TopicNameStrategy subject of a topic's keys or values. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
