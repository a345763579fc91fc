package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.sluice.bus.BusTable;
import dev.sluice.concurrent.DaemonThreads;

/**
 * A {@link BusTable} as a compacted Kafka topic of one partition: a put is a record keyed by the table's key (a
 * null value is a tombstone), and a read replays the topic from its start to the end it had when the read began.
 * Kafka's log compaction keeps the latest record of each key, so the topic stays about as large as the table.
 * One partition keeps every write of a key in order, whichever key; the tables Sluice keeps are small.
 */
final class KafkaTable implements BusTable, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final Admin admin;
    private final Optional<Short> replication;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService sender;
    private volatile boolean created;

    KafkaTable(String topic, Map<String, Object> clientConfig, Admin admin, Optional<Short> replication) {
        this.topic = topic;
        this.clientConfig = Map.copyOf(clientConfig);
        this.admin = admin;
        this.replication = replication;
        Map<String, Object> config = KafkaBus.producerConfig(clientConfig, "sluice-table-" + topic);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(config);
        this.sender = Executors.newSingleThreadExecutor(DaemonThreads.named("sluice-table-" + topic));
    }

    /** Hands the write to the table's own thread, in call order: a send can wait for metadata, a caller must not. */
    @Override
    public CompletionStage<Void> put(String key, byte[] value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            sender.execute(() -> send(key, value, acked));
        } catch (RejectedExecutionException e) {
            acked.completeExceptionally(new IllegalStateException("the table " + topic + " is closed"));
        }
        return acked;
    }

    private void send(String key, byte[] value, CompletableFuture<Void> acked) {
        try {
            create();
            producer.send(new ProducerRecord<>(topic, 0, key, value), KafkaBus.completing(acked));
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
    }

    @Override
    public Map<String, byte[]> read(String prefix) {
        create();
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-table-reader-" + topic);
        Map<String, byte[]> table = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = consumer.endOffsets(partitions, TIMEOUT).get(partitions.get(0));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partitions.get(0), TIMEOUT) < end) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("reading the table " + topic + " took longer than " + TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.key() != null && record.key().startsWith(prefix)) {
                        if (record.value() == null) {
                            table.remove(record.key());
                        } else {
                            table.put(record.key(), record.value());
                        }
                    }
                }
            }
        }
        return table;
    }

    /** Creates the compacted topic on first use; an existing one is used as it is. */
    private void create() {
        if (created) {
            return;
        }
        synchronized (this) {
            if (created) {
                return;
            }
            NewTopic compacted = new NewTopic(topic, Optional.of(1), replication).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    // roll segments every 10 minutes, so that compaction (which skips the active segment) keeps up
                    TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(TimeUnit.MINUTES.toMillis(10))));
            try {
                admin.createTopics(List.of(compacted)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the table " + topic + ": " + e.getCause().getMessage(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot create the table " + topic + " within " + TIMEOUT, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating the table " + topic, e);
            }
            created = true;
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
