package dev.qrnnstreams.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a workload from its own thread at a set rate (records per second; 0 for as fast as the
 * producer goes), with an idempotent producer that retries through broker restarts, so the input
 * topic holds each record exactly once, in order per key.
 */
final class Feeder implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final KafkaProducer<String, byte[]> producer;

    private Feeder(String bootstrapServers, Map<String, Object> clientSecurity, List<ProducerRecord<String, byte[]>>
            records, RateSchedule rate) {
        Map<String, Object> config = new java.util.HashMap<>(clientSecurity);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(() -> run(records, rate), "reliability-feeder");
        thread.setDaemon(true);
    }

    /** Starts producing {@code records} at {@code rate}. */
    static Feeder start(String bootstrapServers, Map<String, Object> clientSecurity,
                        List<ProducerRecord<String, byte[]>> records, RateSchedule rate) {
        Feeder feeder = new Feeder(bootstrapServers, clientSecurity, records, rate);
        feeder.thread.start();
        return feeder;
    }

    private void run(List<ProducerRecord<String, byte[]>> records, RateSchedule rate) {
        long start = System.nanoTime();
        double due = 0;
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                double perSecond = rate.at((System.nanoTime() - start) / 1e9);
                if (perSecond > 0) {
                    due += 1e9 / perSecond;
                    long wait = start + (long) due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Records handed to the producer so far. */
    int sent() {
        return sent.get();
    }

    /** Waits until every record is acknowledged; throws if any could not be written. */
    void awaitDone(long deadlineNanos) throws InterruptedException {
        thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        if (thread.isAlive()) {
            throw new IllegalStateException("the feeder did not finish within its deadline, at " + sent());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the workload failed", failure.get());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        producer.close();
    }

    /** The target rate, records per second, as a function of seconds since the start. */
    @FunctionalInterface
    interface RateSchedule {
        double at(double seconds);

        /** A constant rate. */
        static RateSchedule constant(double perSecond) {
            return seconds -> perSecond;
        }
    }
}
