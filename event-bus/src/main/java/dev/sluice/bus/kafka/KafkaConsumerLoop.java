package dev.sluice.bus.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
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
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
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

import dev.sluice.concurrent.DaemonThreads;

/**
 * A Kafka consumer on a thread of its own that hands every polled record to a handler and commits a record's
 * offset only once the handler's stage for it, and for every earlier record of its partition, succeeded.
 * <p>
 * Records are dispatched as they are polled, while earlier ones are still in flight, so a slow stage delays
 * neither the next records nor the group membership. At most {@code maxInFlight} records are in flight
 * ({@code max.poll.records} for a loop made by {@link #fromConfig}): at that bound the loop pauses its partitions
 * and keeps polling, which keeps the membership alive however long the handler takes. A record whose stage failed
 * is read again: its partition is rewound to it, and paused for a second, and the records after it that were in
 * flight are read again too. A handler that wants a failure to count as consumed recovers the stage itself.
 * Offsets are committed asynchronously, at most every {@value #COMMIT_INTERVAL_MILLIS} ms, and synchronously when
 * partitions are revoked or the loop closes. A group without committed offsets commits its start position as soon
 * as it is assigned, so a crash before its first commit cannot skip records. Broker outages do not end the loop:
 * failed polls and commits are logged once and retried, and {@link #isConnected()} tells whether a broker
 * connection is up.
 * <p>
 * With a {@code group.instance.id} the consumer is a static member of its group: a replica that crashed and comes
 * back under the same id takes its partitions back at once, where a dynamic member would wait for the dead one's
 * session to time out (45 s by default). A static member does not leave its group when it closes, so that a
 * restart does not move its partitions; this loop leaves explicitly on a graceful close, so that a replica that is
 * scaled down or stopped hands its partitions to the others at once.
 * <p>
 * The consumer is made by a supplier handed in rather than built here so that a unit test can drive the loop with
 * Kafka's {@code MockConsumer}; production code builds the real one with {@link #fromConfig}.
 */
public final class KafkaConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaConsumerLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** While records are in flight: the loop comes back soon to commit what completed and to resume partitions. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final long COMMIT_INTERVAL_MILLIS = 100;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a rebalance waits for in-flight records before leaving them to be read again. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    /**
     * How long a close waits for in-flight records: short enough that waiting, committing and leaving the group fit
     * in Kubernetes' default 30 s grace period. What did not finish is read again by the group's next reader.
     */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);
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

        /**
         * The partitions the loop reads from now on, before any of their records; runs inside the rebalance, on
         * the loop's thread, after the previous owner committed what it finished.
         */
        default void assigned(Collection<TopicPartition> partitions) {
        }

        /** The partitions the loop no longer reads (revoked or lost); runs on the loop's thread. */
        default void revoked(Collection<TopicPartition> partitions) {
        }
    }

    private record InFlight(long offset, CompletableFuture<Void> outcome) {
    }

    private final String name;
    private final Collection<String> topics;
    private final RecordHandler handler;
    private final Runnable onClosed;
    private final Supplier<? extends Consumer<String, byte[]>> consumers;
    /** Replaced when the group fences it (see {@link #joinAgain}); only the loop's thread replaces it. */
    private volatile Consumer<String, byte[]> consumer;
    private final int maxInFlight;
    private final Thread thread;
    private final ConsumerFailures failures;
    /** Per partition, its dispatched records in offset order, until they are settled. */
    private final Map<TopicPartition, Deque<InFlight>> inFlight = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    /** Partitions rewound to a failed record, and when they may be read again ({@link System#nanoTime()}). */
    private final Map<TopicPartition, Long> backingOff = new HashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile boolean joined;
    private volatile boolean connected;
    private int inFlightCount;
    private boolean committing;
    private long lastCommit;
    private long lastSample;

    /**
     * A loop on a new {@link KafkaConsumer}, which it owns and closes.
     *
     * @param name names the thread and the log lines, for example {@code sluice-bus-my-group}
     * @param consumerConfig connection settings, {@code group.id} and {@code auto.offset.reset}; the loop
     *        turns auto commit off and reads keys as strings and values as bytes; {@code max.poll.records}
     *        (500 unless set) also bounds the records in flight, and {@code isolation.level} is
     *        {@code read_committed} unless set
     * @param onClosed runs on the loop's thread once the consumer is closed
     */
    public static KafkaConsumerLoop fromConfig(String name, Map<String, Object> consumerConfig,
            Collection<String> topics, RecordHandler handler, Runnable onClosed) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        // the loop commits itself, and only what its handler finished: an auto commit would skip records in flight
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        int maxInFlight = Integer.parseInt(config.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG).toString());
        return new KafkaConsumerLoop(name, () -> new KafkaConsumer<>(config), maxInFlight, topics, handler, onClosed);
    }

    /**
     * @param name names the thread and the log lines, for example {@code sluice-bus-my-group}
     * @param consumers makes a consumer with auto commit off that nothing else uses; the loop subscribes it, polls
     *        and commits it on its own thread, and closes it. It asks for one at the start, and for a new one each
     *        time the group fences the one it has
     * @param maxInFlight how many records may be in flight before the loop pauses its partitions
     * @param onClosed runs on the loop's thread once the consumer is closed
     */
    public KafkaConsumerLoop(String name, Supplier<? extends Consumer<String, byte[]>> consumers, int maxInFlight,
            Collection<String> topics, RecordHandler handler, Runnable onClosed) {
        this.name = name;
        this.consumers = consumers;
        this.consumer = consumers.get();
        this.maxInFlight = maxInFlight;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.onClosed = onClosed;
        this.thread = DaemonThreads.named(name).newThread(this::run);
        this.failures = new ConsumerFailures("Consumer " + name + " on " + this.topics);
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
        return failures.lastError();
    }

    private void run() {
        ConsumerThreadLoop.run(LOG, "Consumer " + name + " on " + topics, () -> running, closing, failures,
                () -> consumer.subscribe(topics, new Rebalances()), this::pollStep, this::joinAgain, this::finish);
    }

    private void pollStep() {
        ConsumerRecords<String, byte[]> records = consumer.poll(inFlightCount == 0 ? IDLE_POLL : BUSY_POLL);
        failures.pollSucceeded();
        sampleConnection();
        dispatch(records);
        if (!running) {
            return; // finish() gives what is still in flight its grace period
        }
        List.copyOf(inFlight.keySet()).forEach(this::settle);
        commitAsyncWhenDue();
        pauseOrResume();
    }

    private void finish() {
        try {
            release(List.copyOf(inFlight.keySet()), System.nanoTime() + CLOSE_GRACE.toNanos());
            commitSync();
        } catch (RuntimeException e) {
            LOG.warnf("Consumer %s could not commit on close: %s", name, e.getMessage());
        } finally {
            try {
                // a static member stays in its group on a plain close, and its partitions with it
                consumer.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(LEAVE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.debugf("Consumer %s closed with %s", name, e.getMessage());
            }
            onClosed.run();
        }
    }

    /**
     * The group gave this member's {@code group.instance.id} to another member id, and a fenced consumer stays
     * fenced. Seen after a broker restart, when the coordinator took a retried join for a new member. The loop
     * gives up its partitions as lost (what was in flight or not yet committed is read again) and joins again
     * under the same id with a new consumer, which fences the other member id in turn. Two replicas that really
     * share an id fence each other in turn, and say so in the log every time.
     */
    private void joinAgain() {
        List.copyOf(inFlight.keySet()).forEach(this::forget);
        uncommitted.clear();
        backingOff.clear();
        committing = false;
        assigned = false;
        try {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        } catch (RuntimeException e) {
            LOG.debugf("Fenced consumer %s closed with %s", name, e.getMessage());
        }
        LOG.warnf("Consumer %s on %s was fenced from its group; joining again with a new consumer", name, topics);
        consumer = consumers.get();
        consumer.subscribe(topics, new Rebalances());
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
            inFlight.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayDeque<>())
                    .add(new InFlight(record.offset(), outcome));
            inFlightCount++;
        }
    }

    /**
     * Moves this partition's completed successes, in offset order, to the offsets to commit. At a record that
     * failed, rewinds the partition to it, so it and every record after it are read again after a backoff.
     */
    private void settle(TopicPartition partition) {
        Deque<InFlight> records = inFlight.get(partition);
        Long next = null;
        while (!records.isEmpty() && records.peekFirst().outcome().isDone()) {
            InFlight head = records.pollFirst();
            inFlightCount--;
            if (head.outcome().isCompletedExceptionally()) {
                forget(partition);
                if (consumer.assignment().contains(partition)) { // else its next owner reads it again anyway
                    consumer.seek(partition, head.offset());
                    backingOff.put(partition, System.nanoTime() + FAILURE_BACKOFF.toNanos());
                }
                break;
            }
            next = head.offset() + 1;
        }
        if (next != null) {
            uncommitted.put(partition, new OffsetAndMetadata(next));
        }
        if (records.isEmpty()) {
            inFlight.remove(partition);
        }
    }

    /**
     * Waits until the deadline for the in-flight records of partitions the loop gives up, takes their completed
     * successes for the commit and forgets the rest, which the partitions' next reader reads again.
     */
    private void release(Collection<TopicPartition> partitions, long deadline) {
        for (TopicPartition partition : partitions) {
            Deque<InFlight> records = inFlight.get(partition);
            if (records != null) {
                awaitOutcomes(records, deadline);
                settle(partition);
                forget(partition);
            }
            backingOff.remove(partition);
        }
    }

    /** Waits in offset order until a record fails or the deadline passes: nothing past it could be committed. */
    private static void awaitOutcomes(Deque<InFlight> records, long deadline) {
        for (InFlight record : records) {
            try {
                record.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    private void forget(TopicPartition partition) {
        Deque<InFlight> records = inFlight.remove(partition);
        if (records != null) {
            inFlightCount -= records.size();
        }
    }

    /**
     * Pauses every partition while the loop holds {@code maxInFlight} records in flight, and the partitions
     * that back off from a failure until their time is up; resumes the others.
     */
    private void pauseOrResume() {
        Set<TopicPartition> owned = consumer.assignment();
        long now = System.nanoTime();
        backingOff.entrySet().removeIf(wait -> wait.getValue() - now <= 0 || !owned.contains(wait.getKey()));
        Set<TopicPartition> paused = inFlightCount >= maxInFlight ? owned : backingOff.keySet();
        Set<TopicPartition> reading = new HashSet<>(owned);
        reading.removeAll(paused);
        consumer.pause(paused);
        consumer.resume(reading);
    }

    private void commitAsyncWhenDue() {
        long now = System.nanoTime();
        long sinceLast = now - lastCommit;
        // a commit whose answer is overdue no longer holds back the next one
        boolean waitingForAnswer = committing && sinceLast < COMMIT_TIMEOUT.toNanos();
        if (waitingForAnswer || uncommitted.isEmpty() || sinceLast < TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MILLIS)) {
            return;
        }
        uncommitted.keySet().retainAll(consumer.assignment());
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(uncommitted);
        committing = true;
        lastCommit = now;
        // the callback runs on this thread, inside a later poll or commit
        consumer.commitAsync(offsets, (committed, error) -> {
            committing = false;
            if (error == null) {
                offsets.forEach(uncommitted::remove); // unless a later offset came meanwhile
                failures.recovered();
            } else if (error instanceof CommitFailedException e) {
                // the group moved the partitions elsewhere; their new owner reads these records again
                offsets.forEach(uncommitted::remove);
                failures.failed("commit", e);
            } else if (error instanceof KafkaException e) {
                failures.failed("commit", e); // kept, and committed with the next ones
            } else {
                failures.failed("commit", new KafkaException(error));
            }
        });
    }

    private void commitSync() {
        uncommitted.keySet().retainAll(consumer.assignment());
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>(uncommitted);
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            uncommitted.keySet().removeAll(offsets.keySet());
            failures.recovered();
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (CommitFailedException e) {
            // the group moved the partitions elsewhere; their new owner reads these records again
            uncommitted.keySet().removeAll(offsets.keySet());
            failures.failed("commit", e);
        } catch (KafkaException e) {
            failures.failed("commit", e); // kept, and committed with the next batch
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
            release(partitions, System.nanoTime() + GRACE.toNanos());
            commitSync();
            assigned = false;
            handler.revoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(KafkaConsumerLoop.this::forget);
            uncommitted.keySet().removeAll(partitions);
            backingOff.keySet().removeAll(partitions);
            assigned = false;
            handler.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
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
            if (!partitions.isEmpty()) {
                handler.assigned(partitions);
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
                thread.join(CLOSE_GRACE.plus(COMMIT_TIMEOUT).plus(LEAVE_TIMEOUT).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
