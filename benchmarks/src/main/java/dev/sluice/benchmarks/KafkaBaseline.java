package dev.sluice.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Raw Kafka on the same broker, with no Sluice in between: a producer configured as Sluice's bus producer
 * (idempotent, {@code acks=all}, {@code linger.ms=0}) sends records of the same shape (binary-mode {@code ce_*}
 * headers and 1 KB of JSON), and a consumer configured as Sluice's subscriptions (an asynchronous commit at most
 * every 100 ms) receives them. Latency is from the {@code ce_time} stamp to the consumer's receipt, as in the
 * Sluice runs.
 */
final class KafkaBaseline {
    /** As Sluice's consumer loop: an asynchronous commit at most this often. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Records in flight at saturation, as many as wrk's connections. */
    private final int maxInFlight;
    private final String bootstrap;

    KafkaBaseline(String bootstrap, int maxInFlight) {
        this.bootstrap = bootstrap;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Sends for {@code duration} at {@code ratePerSecond} (saturation when empty), then waits at most
     * {@code drain} for the consumer to receive everything that was acknowledged.
     *
     * @return what the consumer saw, and how many records were acknowledged
     */
    Result run(Optional<Integer> ratePerSecond, Duration duration, Duration drain) throws Exception {
        String topic = "baseline-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        LatencyRecorder latencies = new LatencyRecorder();
        Consuming consuming = new Consuming(topic, latencies);
        Thread consumer = new Thread(consuming, "baseline-consumer");
        consumer.start();
        consuming.awaitAssigned(Duration.ofSeconds(30));
        long acknowledged = produce(topic, ratePerSecond, duration);
        long until = System.nanoTime() + drain.toNanos();
        while (latencies.count() < acknowledged && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        consuming.stop();
        consumer.join(TimeUnit.SECONDS.toMillis(30));
        return new Result(acknowledged, latencies.takeAndReset());
    }

    record Result(long acknowledged, LatencyRecorder.Snapshot received) {
    }

    private long produce(String topic, Optional<Integer> ratePerSecond, Duration duration) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        byte[] data = BenchEvents.orderData(150, "A-1");
        AtomicLong acknowledged = new AtomicLong();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long period = ratePerSecond.map(r -> 1_000_000_000L / r).orElse(0L);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            for (long n = 0; System.nanoTime() < end; n++) {
                if (period > 0) {
                    long due = start + n * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                inFlight.acquire();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, data);
                record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes("b-" + n))
                        .add("ce_source", bytes("/bench")).add("ce_type", bytes("bench.order"))
                        .add("ce_time", bytes(LatencyRecorder.stamp(LatencyRecorder.nowMicros())))
                        .add("content-type", bytes("application/json"));
                producer.send(record, (metadata, error) -> {
                    inFlight.release();
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        return acknowledged.get();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private final class Consuming implements Runnable {
        private final String topic;
        private final LatencyRecorder latencies;
        private volatile boolean running = true;
        private volatile boolean assigned;

        Consuming(String topic, LatencyRecorder latencies) {
            this.topic = topic;
            this.latencies = latencies;
        }

        @Override
        public void run() {
            Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, topic, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of(topic));
                long lastCommit = 0;
                boolean uncommitted = false;
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                    assigned |= !consumer.assignment().isEmpty();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        Header time = record.headers().lastHeader("ce_time");
                        latencies.received(time == null ? null : new String(time.value(), StandardCharsets.UTF_8));
                    }
                    uncommitted |= !records.isEmpty();
                    if (uncommitted && System.nanoTime() - lastCommit >= COMMIT_INTERVAL.toNanos()) {
                        consumer.commitAsync();
                        lastCommit = System.nanoTime();
                        uncommitted = false;
                    }
                }
                consumer.commitSync();
            }
        }

        void awaitAssigned(Duration patience) {
            long until = System.nanoTime() + patience.toNanos();
            while (!assigned && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            if (!assigned) {
                throw new IllegalStateException("the baseline consumer got no partition within " + patience);
            }
        }

        void stop() {
            running = false;
        }
    }
}
