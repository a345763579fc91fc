package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

/**
 * One consumer group on the Kafka bus, on a thread of its own. Each polled batch is handed to the handler
 * at once; the partitions are paused until every event of the batch reached its outcome, and only then
 * are the offsets committed. A new group starts at the end of its topics, and commits that position as
 * soon as it is assigned, so a crash before its first commit cannot skip events.
 */
class KafkaBusSubscription implements BusSubscription, ConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(KafkaBusSubscription.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String group;
    private final Collection<String> topics;
    private final BusEventHandler handler;
    private final Consumer<KafkaBusSubscription> onClosed;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();
    private final Thread thread;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean assigned;

    KafkaBusSubscription(Map<String, Object> clientConfig, String group, Collection<String> topics,
            BusEventHandler handler, Consumer<KafkaBusSubscription> onClosed) {
        this.group = group;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.onClosed = onClosed;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(config);
        this.deserializer.configure(Map.of(), false);
        this.thread = new Thread(this::run, "sluice-bus-" + group);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public boolean isAssigned() {
        return assigned;
    }

    private void run() {
        try {
            consumer.subscribe(topics, this);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    dispatch(records);
                    awaitOutcomes();
                    commit();
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.errorf(e, "Subscription %s on %s stopped", group, topics);
        } finally {
            try {
                awaitOutcomes();
                commit();
            } catch (RuntimeException e) {
                LOG.warnf("Subscription %s could not commit on close: %s", group, e.getMessage());
            }
            consumer.close(Duration.ofSeconds(5));
            onClosed.accept(this);
        }
    }

    private void dispatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            CompletableFuture<Void> outcome;
            try {
                CloudEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
                outcome = handler.handle(new BusEvent(record.topic(), record.partition(), record.offset(), event))
                        .toCompletableFuture();
            } catch (RuntimeException e) {
                LOG.errorf("Skipped record %s-%d@%d of group %s: not a CloudEvent (%s)", record.topic(),
                        record.partition(), record.offset(), group, e.getMessage());
                outcome = CompletableFuture.completedFuture(null);
            }
            inFlight.add(outcome.exceptionally(error -> {
                LOG.errorf("Event at %s-%d@%d of group %s failed: %s", record.topic(), record.partition(),
                        record.offset(), group, error.getMessage());
                return null;
            }));
            pending.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
        }
    }

    /** Waits for the batch while keeping the group membership alive with paused polls. */
    private void awaitOutcomes() {
        if (inFlight.isEmpty()) {
            return;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
        Collection<TopicPartition> paused = new ArrayList<>(consumer.assignment());
        consumer.pause(paused);
        try {
            while (true) {
                try {
                    all.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    consumer.poll(Duration.ZERO);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                } catch (java.util.concurrent.ExecutionException e) {
                    break; // each future already logs and recovers its own failure
                }
            }
        } finally {
            inFlight.clear();
            consumer.resume(consumer.assignment());
        }
    }

    private void commit() {
        if (pending.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(pending);
        offsets.keySet().retainAll(consumer.assignment());
        pending.clear();
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        awaitOutcomes();
        commit();
        assigned = false;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (committed.get(tp) == null) {
                start.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
        }
        if (!start.isEmpty()) {
            consumer.commitSync(start);
        }
        assigned = true;
        LOG.debugf("Subscription %s assigned %s", group, partitions);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
