#!/usr/bin/python3
"""An independent Confluent client for qrnn-streams' topics (used by ConfluentPythonClientIT).

Produces TextEvent records in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary),
registering the schema under the TopicNameStrategy subject "<topic>-value" of the given registry, then
reads the service's Classification and DeadLetter records back with read_committed isolation and
decodes them through the same registry by the schema id each record carries.

Uses only Debian's python3-confluent-kafka (librdkafka) and its legacy confluent_kafka.avro module,
which is built on python3-avro and python3-requests (the newer confluent_kafka.schema_registry.avro
needs fastavro, which Debian 12 does not package).

Input: --events names a file of JSON lines {"key": ..., "eventId": ..., "text": ...}, produced in order.
Output on stdout, one JSON object per line:
  {"type": "produced", "eventId", "key", "partition", "offset", "schemaId"}
  {"type": "subject", "subject", "schemaId", "version"}  (the latest version of "<input topic>-value")
  {"type": "classification", "eventId", "key", "recordKey", "label", "scores", "tokensSeen",
   "modelName", "modelVersion", "schemaId"}
  {"type": "deadLetter", "recordKey", "originalTopic", "partition", "offset", "errorKind",
   "errorMessage", "originalEventId", "schemaId"}
  {"type": "done", "classifications", "deadLetters"}
Exit status 0 when the expected number of classifications and dead letters arrived before the
deadline, 2 otherwise, 1 on any client error; the reason is written to stderr.
"""

import argparse
import datetime
import json
import struct
import sys
import time
import uuid

from confluent_kafka import Consumer, KafkaError, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient, load
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def emit(record):
    print(json.dumps(record, sort_keys=True), flush=True)


def schema_id(wire_bytes):
    magic, identifier = struct.unpack(">bI", wire_bytes[:5])
    if magic != 0:
        raise ValueError("not the Confluent wire format: magic byte %d" % magic)
    return identifier


def produce(args, serializer):
    schema = load(args.schema)
    producer = Producer({
        "bootstrap.servers": args.bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
    })
    failures = []

    def delivered(error, message, event):
        if error is not None:
            failures.append("%s: %s" % (event["eventId"], error))
            return
        emit({"type": "produced", "eventId": event["eventId"], "key": event["key"],
              "partition": message.partition(), "offset": message.offset(),
              "schemaId": schema_id(message.value())})

    with open(args.events, encoding="utf-8") as lines:
        events = [json.loads(line) for line in lines if line.strip()]
    for event in events:
        value = serializer.encode_record_with_schema(args.input_topic, schema, {
            "eventId": event["eventId"],
            "text": event["text"],
            "eventTime": datetime.datetime.now(datetime.timezone.utc),
            "model": None,
            "resetState": False,
            "endOfSegment": False,
        })
        producer.produce(args.input_topic, key=event["key"].encode("utf-8"), value=value,
                         on_delivery=lambda error, message, event=event: delivered(error, message, event))
        producer.poll(0)
    remaining = producer.flush(args.timeout)
    if remaining:
        raise RuntimeError("%d records not delivered within %.0f s" % (remaining, args.timeout))
    if failures:
        raise RuntimeError("delivery failed: " + "; ".join(failures))
    subject = args.input_topic + "-value"
    latest_id, _, version = serializer.registry_client.get_latest_schema(subject)
    emit({"type": "subject", "subject": subject, "schemaId": latest_id, "version": version})


def text(raw):
    return None if raw is None else raw.decode("utf-8")


def consume(args, serializer, deadline):
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": "interop-client-" + uuid.uuid4().hex,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
    })
    classifications = 0
    dead_letters = 0
    try:
        consumer.subscribe([args.classifications_topic, args.dead_letter_topic])
        while classifications < args.expect_classifications or dead_letters < args.expect_dead_letters:
            left = deadline - time.monotonic()
            if left <= 0:
                return classifications, dead_letters
            message = consumer.poll(min(left, 0.5))
            if message is None:
                continue
            if message.error() is not None:
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise RuntimeError("consumer error: %s" % message.error())
            value = serializer.decode_message(message.value())
            if message.topic() == args.classifications_topic:
                classifications += 1
                emit({"type": "classification", "eventId": value["eventId"], "key": value["key"],
                      "recordKey": text(message.key()), "label": value["label"],
                      "scores": value["scores"], "tokensSeen": value["tokensSeen"],
                      "modelName": value["modelName"], "modelVersion": value["modelVersion"],
                      "schemaId": schema_id(message.value())})
            else:
                dead_letters += 1
                original = value["value"]
                emit({"type": "deadLetter", "recordKey": text(value["key"]),
                      "originalTopic": value["originalTopic"], "partition": value["partition"],
                      "offset": value["offset"], "errorKind": value["errorKind"],
                      "errorMessage": value["errorMessage"],
                      "originalEventId": serializer.decode_message(original)["eventId"] if original else None,
                      "schemaId": schema_id(message.value())})
        return classifications, dead_letters
    finally:
        consumer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--registry-url", required=True)
    parser.add_argument("--schema", required=True, help="TextEvent.avsc")
    parser.add_argument("--events", required=True, help="JSON lines: key, eventId, text")
    parser.add_argument("--input-topic", required=True)
    parser.add_argument("--classifications-topic", required=True)
    parser.add_argument("--dead-letter-topic", required=True)
    parser.add_argument("--expect-classifications", type=int, required=True)
    parser.add_argument("--expect-dead-letters", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds for the whole run")
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout

    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": args.registry_url}))
    try:
        produce(args, serializer)
        classifications, dead_letters = consume(args, serializer, deadline)
    except Exception as error:  # reported to the calling test with its type
        print("interop client failed: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        return 1
    emit({"type": "done", "classifications": classifications, "deadLetters": dead_letters})
    if classifications < args.expect_classifications or dead_letters < args.expect_dead_letters:
        print("deadline of %.0f s passed with %d of %d classifications and %d of %d dead letters"
              % (args.timeout, classifications, args.expect_classifications, dead_letters,
                 args.expect_dead_letters), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
