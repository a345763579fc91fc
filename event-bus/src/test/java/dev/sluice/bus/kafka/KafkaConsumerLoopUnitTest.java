package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop on Kafka's {@code MockConsumer}, without a broker: one partition, assigned when the loop starts,
 * records served from inside {@code poll} (on the loop's thread, since the mock is not thread-safe), and every
 * record's stage held until the test completes it.
 */
class KafkaConsumerLoopUnitTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a "nothing more happens" check watches: many of the loop's 5 ms polls and 100 ms commit cadences. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private final FakeConsumer consumer = new FakeConsumer();
    /** Per offset, the stage of each time the record was handed over, oldest first. */
    private final Map<Long, List<CompletableFuture<Void>>> stages = new ConcurrentHashMap<>();
    private final CountDownLatch onClosed = new CountDownLatch(1);
    private KafkaConsumerLoop loop;

    @BeforeEach
    void partitionStartsAtZero() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    @AfterEach
    void closeLoop() {
        // a stage still pending would hold close() for its whole grace period
        stages.values().forEach(tries -> tries.forEach(stage -> stage.complete(null)));
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aGroupWithoutCommittedOffsetsCommitsItsStartPositionAsSoonAsItIsAssigned() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 7L));

        start(500);

        assertThat(committed()).isEqualTo(7);
    }

    @Test
    void anOffsetIsCommittedOnlyOnceTheStagesOfItsRecordAndOfEveryEarlierRecordSucceeded() {
        threeRecordsInFlight();

        succeed(2);
        staysSo(() -> committed() == 0);

        succeed(0);
        awaitCommitted(1);
        staysSo(() -> committed() == 1);

        succeed(1);
        awaitCommitted(3);
        assertThat(stages).allSatisfy((offset, tries) -> assertThat(tries).hasSize(1));
    }

    @Test
    void aRecordWhoseStageFailedIsHandedOverAgainWithTheRecordsAfterIt() {
        threeRecordsInFlight();
        succeed(0);
        succeed(2);
        awaitCommitted(1);

        fail(1);
        // what a broker would serve after the loop's seek back to the failed record
        serve(1, 3);

        await().atMost(WAIT).until(() -> handed(1) == 2 && handed(2) == 2);
        assertThat(committed()).isEqualTo(1);
        succeed(1);
        succeed(2);
        awaitCommitted(3);
        assertThat(handed(0)).isEqualTo(1);
    }

    @Test
    void atMaxInFlightTheLoopPausesItsPartitionsUntilStagesComplete() {
        consumer.setMaxPollRecords(2); // as max.poll.records, which fromConfig makes the in-flight bound too
        start(2);
        serve(0, 5);

        await().atMost(WAIT).until(() -> consumer.paused().contains(PARTITION));
        assertThat(stages).containsOnlyKeys(0L, 1L);
        staysSo(() -> stages.size() == 2);

        succeed(0);
        succeed(1);
        await().atMost(WAIT).until(() -> stages.size() == 4 && consumer.paused().contains(PARTITION));

        succeed(2);
        succeed(3);
        await().atMost(WAIT).until(() -> handed(4) == 1);
        succeed(4);
        awaitCommitted(5);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void closingWaitsForTheRecordsInFlightAndCommitsThoseThatSucceeded() {
        threeRecordsInFlight();
        succeed(0);
        awaitCommitted(1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(loop::close);
        staysSo(() -> !closing.isDone());
        succeed(1);
        fail(2);

        await().atMost(WAIT).until(closing::isDone);
        assertThat(committed()).isEqualTo(2);
        assertThat(consumer.closed()).isTrue();
        assertThat(onClosed.getCount()).isZero();
    }

    @Test
    void aRevokedPartitionCommitsWhatSucceededAndItsNextOwnerReadsOnFromThere() {
        threeRecordsInFlight();

        CountDownLatch revoking = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            revoking.countDown();
            consumer.rebalance(List.of());
        });
        await().atMost(WAIT).until(() -> revoking.getCount() == 0);
        succeed(0);
        succeed(1);
        fail(2);
        awaitCommitted(2);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(PARTITION)));
        serve(2, 3);
        await().atMost(WAIT).until(() -> handed(2) == 2);
        succeed(2);
        awaitCommitted(3);
        assertThat(handed(0)).isEqualTo(1);
        assertThat(handed(1)).isEqualTo(1);
    }

    /** Starts the loop and waits until it holds {@link #PARTITION}. */
    private void start(int maxInFlight) {
        loop = loop(List.of(consumer).iterator(), maxInFlight);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(PARTITION)));
        loop.start();
        await().atMost(WAIT).until(loop::isAssigned);
    }

    /** A loop that takes its consumers from {@code consumers}, one more each time it is fenced. */
    private KafkaConsumerLoop loop(Iterator<FakeConsumer> consumers, int maxInFlight) {
        return new KafkaConsumerLoop("loop-unit-test", consumers::next, maxInFlight, List.of(TOPIC), record -> {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages.computeIfAbsent(record.offset(), offset -> new CopyOnWriteArrayList<>()).add(stage);
            return stage;
        }, onClosed::countDown);
    }

    @Test
    void aFencedStaticMemberJoinsAgainWithANewConsumerAndReadsWhatWasNotCommittedAgain() {
        FakeConsumer next = new FakeConsumer();
        next.updateBeginningOffsets(Map.of(PARTITION, 0L));
        loop = loop(List.of(consumer, next).iterator(), 500);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(PARTITION)));
        loop.start();
        await().atMost(WAIT).until(loop::isAssigned);
        serve(0, 1);
        await().atMost(WAIT).until(() -> handed(0) == 1);

        // as after a broker restart: the group gave this member's instance id to another member id
        consumer.setPollException(new FencedInstanceIdException("fenced"));
        next.schedulePollTask(() -> {
            next.rebalance(List.of(PARTITION));
            next.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "key-0", new byte[] { 1 }));
        });

        await().atMost(WAIT).until(() -> handed(0) == 2);
        assertThat(consumer.closed()).isTrue();
        assertThat(loop.isAssigned()).isTrue();
        succeed(0);
        await().atMost(WAIT).until(() -> next.committed.getOrDefault(PARTITION, -1L) == 1L);
    }

    /** Starts the loop and waits until it handed over the records at offsets 0, 1 and 2, all of them pending. */
    private void threeRecordsInFlight() {
        start(500);
        serve(0, 3);
        await().atMost(WAIT).until(() -> handed(2) == 1);
    }

    /** Adds the records from offset {@code from} up to {@code to} (exclusive), within a poll of the loop. */
    private void serve(long from, long to) {
        consumer.schedulePollTask(() -> {
            for (long offset = from; offset < to; offset++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "key-" + offset, new byte[] { 1 }));
            }
        });
    }

    private int handed(long offset) {
        return stages.getOrDefault(offset, List.of()).size();
    }

    /** Completes the stage of the latest handing over of the record. */
    private void succeed(long offset) {
        latest(offset).complete(null);
    }

    private void fail(long offset) {
        latest(offset).completeExceptionally(new IllegalStateException("downstream failed"));
    }

    private CompletableFuture<Void> latest(long offset) {
        List<CompletableFuture<Void>> tries = stages.get(offset);
        return tries.get(tries.size() - 1);
    }

    private long committed() {
        return consumer.committed.getOrDefault(PARTITION, -1L);
    }

    private void awaitCommitted(long offset) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(committed()).as("committed offset").isEqualTo(offset));
    }

    private static void staysSo(Callable<Boolean> condition) {
        await().during(QUIET).atMost(QUIET.plus(WAIT)).until(condition);
    }

    /**
     * Kafka's {@code MockConsumer} made to behave like a real consumer in the two ways a loop on its own thread
     * depends on. Its poll returns at once, which would spin the loop on a core of a shared machine; here an empty
     * poll waits up to its timeout, or until the test schedules a task or wakes the consumer. And its committed
     * offsets cannot be read after it closed, read as 0 for a partition it does not hold, and sit behind the lock
     * that the loop's thread holds through each poll and rebalance callback; here every commit is also kept in
     * {@link #committed}, which the test reads freely.
     */
    private static final class FakeConsumer extends MockConsumer<String, byte[]> {
        final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        private final Semaphore news = new Semaphore(0);

        FakeConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    news.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
            return records;
        }

        @Override
        public synchronized void schedulePollTask(Runnable task) {
            super.schedulePollTask(task);
            news.release();
        }

        @Override
        public synchronized void wakeup() {
            super.wakeup();
            news.release();
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            super.commitAsync(offsets, callback);
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        }
    }
}
