package dev.sluice.bus.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusHistory;
import dev.sluice.concurrent.DaemonThreads;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

/**
 * Kafka's log read again: each read has a consumer of its own that is assigned partitions, never joins a
 * group and never commits, so a Trigger's group neither moves nor rebalances. Start offsets come from
 * {@code offsetsForTimes}, end offsets from the log's end when the read starts, so every read is bounded.
 */
final class KafkaBusHistory implements BusHistory, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaBusHistory.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> clientConfig;
    private final Set<KafkaConsumer<byte[], byte[]>> followers = ConcurrentHashMap.newKeySet();

    KafkaBusHistory(Map<String, Object> clientConfig) {
        this.clientConfig = Map.copyOf(clientConfig);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String purpose) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-history-" + purpose);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    @Override
    public List<Range> ranges(Collection<String> topics, Optional<Instant> from, Optional<Instant> to) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("ranges")) {
            List<TopicPartition> partitions = partitionsOf(consumer, topics);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
            Map<TopicPartition, Long> last = consumer.endOffsets(partitions, METADATA_TIMEOUT);
            Map<TopicPartition, Long> start = from.map(t -> at(consumer, partitions, t, last)).orElse(first);
            Map<TopicPartition, Long> end = to.map(t -> at(consumer, partitions, t, last)).orElse(last);
            List<Range> ranges = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                long begin = Math.max(start.get(partition), first.get(partition));
                ranges.add(new Range(partition.topic(), partition.partition(), begin,
                        Math.max(begin, end.get(partition))));
            }
            return ranges;
        }
    }

    /** The first offset at or after {@code time} per partition; the log's end where nothing is that recent. */
    private static Map<TopicPartition, Long> at(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Instant time, Map<TopicPartition, Long> last) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, METADATA_TIMEOUT);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach(p -> offsets.put(p, found.get(p) == null ? last.get(p) : found.get(p).offset()));
        return offsets;
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, Collection<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        }
        return partitions;
    }

    @Override
    public void read(List<Range> ranges, BusEventHandler handler, int maxInFlight, BooleanSupplier stop)
            throws InterruptedException {
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> starts = new HashMap<>();
        ranges.stream().filter(r -> r.size() > 0).forEach(r -> {
            TopicPartition partition = new TopicPartition(r.topic(), r.partition());
            starts.put(partition, r.start());
            ends.put(partition, r.end());
        });
        Semaphore inFlight = new Semaphore(maxInFlight);
        CloudEventDeserializer deserializer = deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("read")) {
            consumer.assign(starts.keySet());
            starts.forEach(consumer::seek);
            Set<TopicPartition> open = new java.util.HashSet<>(starts.keySet());
            while (!open.isEmpty() && !stop.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= ends.get(partition) || stop.getAsBoolean()) {
                        continue;
                    }
                    Optional<CloudEvent> event = event(deserializer, record);
                    if (event.isPresent()) {
                        inFlight.acquire();
                        handler.handle(busEvent(record, event.get()))
                                .whenComplete((ok, error) -> inFlight.release());
                    }
                }
                open.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
                consumer.pause(starts.keySet().stream().filter(p -> !open.contains(p)).toList());
            }
        }
        inFlight.acquire(maxInFlight); // every stage handed out has completed
        inFlight.release(maxInFlight);
    }

    @Override
    public AutoCloseable follow(Collection<String> topics, Consumer<BusEvent> events) {
        KafkaConsumer<byte[], byte[]> consumer = consumer("follow");
        try {
            // the start is fixed before this returns: an event published after it is seen
            List<TopicPartition> partitions = partitionsOf(consumer, topics);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(partition -> consumer.position(partition, METADATA_TIMEOUT));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        followers.add(consumer);
        AtomicBoolean closed = new AtomicBoolean();
        Thread thread = DaemonThreads.named("sluice-follow-" + String.join(",", topics)).newThread(() -> {
            CloudEventDeserializer deserializer = deserializer();
            try {
                while (!closed.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        event(deserializer, record).ifPresent(event -> events.accept(busEvent(record, event)));
                    }
                }
            } catch (WakeupException e) {
                // closed
            } catch (RuntimeException e) {
                LOG.warnf("Stopped following %s: %s", topics, e.getMessage());
            } finally {
                followers.remove(consumer);
                consumer.close(Duration.ofSeconds(1));
            }
        });
        thread.start();
        return () -> {
            closed.set(true);
            consumer.wakeup();
        };
    }

    private static BusEvent busEvent(ConsumerRecord<byte[], byte[]> record, CloudEvent event) {
        return new BusEvent(record.topic(), record.partition(), record.offset(), event,
                Optional.of(Instant.ofEpochMilli(record.timestamp())));
    }

    private static CloudEventDeserializer deserializer() {
        CloudEventDeserializer deserializer = new CloudEventDeserializer();
        deserializer.configure(Map.of(), false);
        return deserializer;
    }

    private static Optional<CloudEvent> event(CloudEventDeserializer deserializer, ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.of(deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            LOG.debugf("Skipped record %s-%d@%d: not a CloudEvent (%s)", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Stops every follower; reads end with their own consumers. */
    @Override
    public void close() {
        followers.forEach(KafkaConsumer::wakeup);
    }
}
