package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A Kafka consumer on a thread of its own that hands every polled record to a handler and commits a record's
 * offset only once the handler's stage for it, and for every earlier record of its partition, succeeded.
 * <p>
 * Each polled batch is dispatched at once; its partitions are then paused until every stage completed, so
 * the group membership stays alive however long the handler takes. A record whose stage failed is read again:
 * its partition is rewound to it. A handler that wants a failure to count as consumed recovers the stage
 * itself. A group without committed offsets commits its start position as soon as it is assigned, so a crash
 * before its first commit cannot skip records. Broker outages do not end the loop: failed polls and commits
 * are logged once and retried, and {@link #isConnected()} tells whether a broker connection is up.
 */
public final class KafkaConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a rebalance or a close waits for in-flight records before leaving them to be read again. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);
    private static final Duration CONNECTION_SAMPLE = Duration.ofSeconds(1);

    /** Processes one record. */
    @FunctionalInterface
    public interface RecordHandler {

        /**
         * @return a stage that completes once the record reached its outcome; only a successful one lets the
         *         loop commit past the record, a failed one makes the loop read the record again
         */
        CompletionStage<Void> handle(ConsumerRecord<String, byte[]> record);
    }

    private record InFlight(TopicPartition partition, long offset, CompletableFuture<Void> outcome) {
    }

    private final String name;
    private final Collection<String> topics;
    private final RecordHandler handler;
    private final Runnable onClosed;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final List<InFlight> inFlight = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile boolean joined;
    private volatile boolean connected;
    private volatile String lastError;
    private boolean awaiting;
    private boolean pollFailing;
    private long lastSample;

    /**
     * @param name names the thread and the log lines, for example {@code sluice-bus-my-group}
     * @param consumerConfig connection settings, {@code group.id} and {@code auto.offset.reset}; the loop
     *        turns auto commit off and reads keys as strings and values as bytes
     * @param onClosed runs on the loop's thread once the consumer is closed
     */
    public KafkaConsumerLoop(String name, Map<String, Object> consumerConfig, Collection<String> topics,
            RecordHandler handler, Runnable onClosed) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.onClosed = onClosed;
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(config);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Subscribes and starts polling on the loop's own thread; returns at once. */
    public void start() {
        thread.start();
    }

    /** True while the loop holds its partitions and their start positions, so no later record is missed. */
    public boolean isAssigned() {
        return assigned;
    }

    /** True once the loop joined its consumer group, and stays so through later rebalances. */
    public boolean hasJoined() {
        return joined;
    }

    /** True when the consumer had at least one live broker connection at its last look (once a second). */
    public boolean isConnected() {
        return connected;
    }

    /** The last failure of a poll or a commit, until the next one that succeeds. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private void run() {
        try {
            consumer.subscribe(topics, new Rebalances());
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (pollFailing) {
                        pollFailing = false;
                        recovered();
                    }
                    sampleConnection();
                    if (!records.isEmpty()) {
                        dispatch(records);
                        awaitOutcomes(() -> running);
                    }
                    if (!running) {
                        break; // finish() gives what is still in flight its grace period
                    }
                    boolean rewound = settle(List.copyOf(consumer.assignment()));
                    commit();
                    if (rewound) {
                        closing.await(FAILURE_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    pollFailing = true;
                    failed("poll", e);
                    closing.await(FAILURE_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Consumer %s on %s stopped", name, topics);
        } finally {
            finish();
        }
    }

    private void finish() {
        try {
            long deadline = System.nanoTime() + GRACE.toNanos();
            awaitOutcomes(() -> System.nanoTime() < deadline);
            settle(inFlight.stream().map(InFlight::partition).distinct().toList());
            commit();
        } catch (RuntimeException e) {
            LOG.warnf("Consumer %s could not commit on close: %s", name, e.getMessage());
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("Consumer %s closed with %s", name, e.getMessage());
            }
            onClosed.run();
        }
    }

    private void dispatch(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            CompletableFuture<Void> outcome;
            try {
                outcome = handler.handle(record).toCompletableFuture();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Consumer %s: the handler failed on %s-%d@%d; reading it again", name, record.topic(),
                        record.partition(), record.offset());
                outcome = CompletableFuture.failedFuture(e);
            }
            inFlight.add(new InFlight(new TopicPartition(record.topic(), record.partition()), record.offset(), outcome));
        }
    }

    /**
     * Waits for the in-flight records with the partitions paused, polling now and then to keep the group
     * membership; records that a poll returns meanwhile (a partition assigned during the wait) are read again.
     */
    private void awaitOutcomes(BooleanSupplier keepWaiting) {
        if (inFlight.isEmpty()) {
            return;
        }
        awaiting = true;
        consumer.pause(consumer.assignment());
        try {
            while (keepWaiting.getAsBoolean() && inFlight.stream().anyMatch(f -> !f.outcome().isDone())) {
                CompletableFuture<Void> all = CompletableFuture
                        .allOf(inFlight.stream().map(InFlight::outcome).toArray(CompletableFuture[]::new));
                try {
                    all.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    rewind(consumer.poll(Duration.ZERO));
                    sampleConnection();
                } catch (ExecutionException e) {
                    // a failed record is rewound by settle()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
        } finally {
            awaiting = false;
            consumer.resume(consumer.assignment());
        }
    }

    private void rewind(ConsumerRecords<String, byte[]> unexpected) {
        for (TopicPartition partition : unexpected.partitions()) {
            consumer.seek(partition, unexpected.records(partition).get(0).offset());
        }
    }

    /**
     * Moves the completed successes of these partitions to the offsets to commit, and rewinds a partition to its
     * first record that failed or is still in flight, so that record is read again.
     *
     * @return true when a partition was rewound
     */
    private boolean settle(Collection<TopicPartition> partitions) {
        boolean rewound = false;
        Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
        for (TopicPartition partition : partitions) {
            Long next = null;
            Long retry = null;
            for (InFlight record : inFlight) {
                if (!record.partition().equals(partition)) {
                    continue;
                }
                if (retry == null && record.outcome().isDone() && !record.outcome().isCompletedExceptionally()) {
                    next = record.offset() + 1;
                } else if (retry == null) {
                    retry = record.offset();
                }
            }
            inFlight.removeIf(record -> record.partition().equals(partition));
            if (next != null) {
                uncommitted.put(partition, new OffsetAndMetadata(next));
            }
            if (retry != null && running && owned.contains(partition)) {
                consumer.seek(partition, retry);
                rewound = true;
            }
        }
        return rewound;
    }

    private void commit() {
        uncommitted.keySet().retainAll(consumer.assignment());
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>(uncommitted);
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            uncommitted.keySet().removeAll(offsets.keySet());
            recovered();
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (CommitFailedException e) {
            // the group moved the partitions elsewhere; their new owner reads these records again
            uncommitted.keySet().removeAll(offsets.keySet());
            failed("commit", e);
        } catch (KafkaException e) {
            failed("commit", e); // kept, and committed with the next batch
        }
    }

    private void failed(String what, KafkaException e) {
        String error = what + " failed: " + e.getMessage();
        if (!error.equals(lastError)) {
            LOG.warnf("Consumer %s on %s: %s; retrying", name, topics, error);
        }
        lastError = error;
    }

    private void recovered() {
        if (lastError != null) {
            LOG.infof("Consumer %s on %s recovered", name, topics);
            lastError = null;
        }
    }

    private void sampleConnection() {
        long now = System.nanoTime();
        if (now - lastSample < CONNECTION_SAMPLE.toNanos()) {
            return;
        }
        lastSample = now;
        connected = consumer.metrics().entrySet().stream()
                .filter(m -> "connection-count".equals(m.getKey().name()) && "consumer-metrics".equals(m.getKey().group()))
                .map(m -> m.getValue().metricValue())
                .anyMatch(value -> value instanceof Number n && n.doubleValue() > 0);
    }

    /** Runs inside poll(), on the loop's thread. */
    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            long deadline = System.nanoTime() + GRACE.toNanos();
            List<CompletableFuture<Void>> leaving = inFlight.stream().filter(f -> partitions.contains(f.partition()))
                    .map(InFlight::outcome).toList();
            for (CompletableFuture<Void> outcome : leaving) {
                try {
                    outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // settled below: the record is left to the partition's next owner
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
            settle(partitions);
            commit();
            assigned = false;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            inFlight.removeIf(record -> partitions.contains(record.partition()));
            uncommitted.keySet().removeAll(partitions);
            assigned = false;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (awaiting) {
                consumer.pause(partitions);
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (TopicPartition partition : partitions) {
                if (committed.get(partition) == null) {
                    start.put(partition, new OffsetAndMetadata(consumer.position(partition)));
                }
            }
            if (!start.isEmpty()) {
                consumer.commitSync(start, COMMIT_TIMEOUT);
            }
            assigned = true;
            joined = true;
            LOG.debugf("Consumer %s assigned %s", name, partitions);
        }
    }

    /** Stops consuming; in-flight records get a grace period, and the offsets of those that succeeded are committed. */
    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(GRACE.plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
