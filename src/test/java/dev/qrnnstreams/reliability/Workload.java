package dev.qrnnstreams.reliability;

import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A fixed, seeded input: {@code keys} keys with {@code perKey} messages each, interleaved at random, so
 * every message advances its own key's state; one message in {@value #EMPTY_EVERY} has empty text and
 * must become a dead letter. The records are serialized once, up front, so producing them needs no
 * registry (the registry-outage scenario relies on that).
 */
final class Workload {
    /** One record in this many is empty text, a dead letter by the service's rules. */
    static final int EMPTY_EVERY = 97;
    private static final String[] WORDS = {"the", "film", "was", "plot", "and", "acting", "music", "quite", "a",
        "of", "story", "really", "excellent", "moving", "superb", "wonderful", "awful", "boring", "clumsy",
        "dreadful"};

    private final List<ProducerRecord<String, byte[]>> records;

    private Workload(List<ProducerRecord<String, byte[]>> records) {
        this.records = records;
    }

    /** Builds the input for {@code topic}, event ids {@code <prefix>-<n>} and keys {@code <prefix>-k<i>}. */
    static Workload of(String topic, String prefix, int keys, int perKey, long seed, SchemaRegistry registry) {
        SplittableRandom random = new SplittableRandom(seed);
        AvroSerializer<TextEvent> serializer = new AvroSerializer<>(TextEvent.class, registry, false, true);
        int[] remaining = new int[keys];
        java.util.Arrays.fill(remaining, perKey);
        List<Integer> open = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            open.add(k);
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(keys * perKey);
        int id = 0;
        while (!open.isEmpty()) {
            int slot = random.nextInt(open.size());
            int key = open.get(slot);
            if (--remaining[key] == 0) {
                open.set(slot, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
            String text = id % EMPTY_EVERY == EMPTY_EVERY - 1 ? "" : sentence(random);
            TextEvent event = TextEvent.newBuilder().setEventId(prefix + "-" + id).setText(text)
                    .setEventTime(Instant.now()).build();
            records.add(new ProducerRecord<>(topic, prefix + "-k" + key, serializer.serialize(topic, event)));
            id++;
        }
        return new Workload(List.copyOf(records));
    }

    /**
     * A workload too long to hold: {@code count} records made as they are produced, record {@code i} for key
     * {@code i % keys}, so each key's messages stay in order; the same rules for text and dead letters.
     */
    static Workload generated(String topic, String prefix, int keys, int count, long seed, SchemaRegistry registry) {
        AvroSerializer<TextEvent> serializer = new AvroSerializer<>(TextEvent.class, registry, false, true);
        return new Workload(new java.util.AbstractList<>() {
            @Override
            public ProducerRecord<String, byte[]> get(int id) {
                String text = id % EMPTY_EVERY == EMPTY_EVERY - 1 ? "" : sentence(new SplittableRandom(seed * 31 + id));
                TextEvent event = TextEvent.newBuilder().setEventId(prefix + "-" + id).setText(text)
                        .setEventTime(Instant.now()).build();
                return new ProducerRecord<>(topic, prefix + "-k" + (id % keys), serializer.serialize(topic, event));
            }

            @Override
            public int size() {
                return count;
            }
        });
    }

    private static String sentence(SplittableRandom random) {
        int length = random.nextInt(3, 12);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < length; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.append('.').toString();
    }

    List<ProducerRecord<String, byte[]>> records() {
        return records;
    }

    int size() {
        return records.size();
    }

    /** How many records are dead letters by construction. */
    int expectedDeadLetters() {
        return size() / EMPTY_EVERY;
    }
}
