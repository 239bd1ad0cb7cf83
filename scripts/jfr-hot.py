#!/usr/bin/env python3
"""Where the CPU time of a JFR recording goes: `jfr print --json --events jdk.ExecutionSample` aggregated.

Usage: scripts/jfr-hot.py recording.jfr [thread-substring]
Prints the share of samples by top frame (self time) and by the first frame inside each named area
(inclusive time): the model, the stores, serdes, Kafka clients, and so on.
"""
import collections
import json
import subprocess
import sys

AREAS = [  # (area, frame prefix): the first match walking from the top of the stack down
    ("model: nn kernels and pooling", "dev.qrnnstreams.nn."),
    ("tokenizer", "dev.qrnnstreams.text."),
    ("model front end (embedding, head)", "dev.qrnnstreams.inference."),
    ("state codec / KeyStates / PendingBuffer", "dev.qrnnstreams.streams.KeyStates"),
    ("state codec / KeyStates / PendingBuffer", "dev.qrnnstreams.streams.PendingBuffer"),
    ("serdes (Avro, registry)", "dev.qrnnstreams.streams.serde."),
    ("avro generated records", "dev.qrnnstreams.avro."),
    ("RocksDB", "org.rocksdb."),
    ("Kafka Streams state/cache", "org.apache.kafka.streams.state."),
    ("Kafka producer", "org.apache.kafka.clients.producer."),
    ("Kafka consumer", "org.apache.kafka.clients.consumer."),
    ("Kafka broker", "kafka."),
    ("Kafka broker", "org.apache.kafka.server."),
    ("Kafka broker", "org.apache.kafka.storage."),
    ("Kafka broker", "org.apache.kafka.raft."),
    ("Kafka broker", "org.apache.kafka.controller."),
    ("Kafka network/common", "org.apache.kafka.common."),
    ("Kafka Streams processing", "org.apache.kafka.streams."),
    ("Avro library", "org.apache.avro."),
    ("harness", "dev.qrnnstreams.perf."),
]


def frames(event):
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
            for f in event["values"]["stackTrace"]["frames"]]


def main():
    path = sys.argv[1]
    thread_filter = sys.argv[2] if len(sys.argv) > 2 else None
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    top = collections.Counter()
    area = collections.Counter()
    threads = collections.Counter()
    n = 0
    for e in events:
        thread = e["values"]["sampledThread"]["javaName"] or e["values"]["sampledThread"]["osName"]
        if thread_filter and thread_filter not in thread:
            continue
        fs = frames(e)
        if not fs:
            continue
        n += 1
        threads[thread.split("-StreamThread")[0][:12] + ("-StreamThread" if "StreamThread" in thread else "")] += 1
        top[fs[0]] += 1
        found = "other"
        for f in fs:
            match = next((a for a, prefix in AREAS if f.startswith(prefix)), None)
            if match:
                found = match
                break
        area[found] += 1
    print(f"{n} samples" + (f" on threads matching '{thread_filter}'" if thread_filter else ""))
    print("\nby area (first project or library frame from the top):")
    for a, c in area.most_common():
        print(f"  {100 * c / n:5.1f}%  {a}")
    print("\ntop frames (self):")
    for f, c in top.most_common(25):
        print(f"  {100 * c / n:5.1f}%  {f}")
    if not thread_filter:
        print("\nthreads:")
        for t, c in threads.most_common(10):
            print(f"  {100 * c / n:5.1f}%  {t}")


if __name__ == "__main__":
    main()
