package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.embedded.EmbeddedKafkaBroker;
import io.quarkus.test.junit.QuarkusTest;

/** Each test has a topic of one partition and a consumer group of its own on the embedded broker. */
@QuarkusTest
class KafkaConsumerLoopTest {

    @Inject
    EmbeddedKafkaBroker broker;

    private String topic;
    private String group;
    private Admin admin;
    private KafkaProducer<String, String> producer;

    @BeforeEach
    void newTopic() throws Exception {
        topic = "loop-" + UUID.randomUUID();
        group = "loop-test-" + topic;
        String brokers = broker.bootstrapServers().orElseThrow();
        admin = Admin.create(Map.of("bootstrap.servers", brokers));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeClients() {
        producer.close();
        admin.close();
    }

    @Test
    void aRecordWhoseStageFailedIsReadAgainAndNothingPastItIsCommittedBefore() throws Exception {
        for (int i = 0; i < 3; i++) {
            producer.send(new ProducerRecord<>(topic, "r" + i)).get(30, TimeUnit.SECONDS);
        }
        Map<Long, AtomicInteger> handled = new ConcurrentHashMap<>();
        CompletableFuture<Void> firstTryOfRecord1 = new CompletableFuture<>();
        KafkaConsumerLoop loop = loop(Map.of(), record -> {
            int tries = handled.computeIfAbsent(record.offset(), o -> new AtomicInteger()).incrementAndGet();
            return record.offset() == 1 && tries == 1 ? firstTryOfRecord1 : CompletableFuture.completedFuture(null);
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsKey(2L));
            // record 0 is done and may be committed; nothing past the pending record 1 may be
            await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> committed() == 1);
            firstTryOfRecord1.completeExceptionally(new IllegalStateException("downstream failed"));

            await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 3);
            assertThat(handled.get(0L)).hasValue(1);
            assertThat(handled.get(1L)).hasValue(2);
            assertThat(loop.isConnected()).isTrue();
            assertThat(loop.lastError()).isEmpty();
        } finally {
            loop.close();
        }
    }

    @Test
    void aPendingRecordHoldsBackNeitherTheNextRecordsNorTheirHandling() throws Exception {
        Map<Long, CompletableFuture<Void>> stages = new ConcurrentHashMap<>();
        KafkaConsumerLoop loop = loop(Map.of(),
                record -> record.offset() == 0 ? stages.computeIfAbsent(0L, o -> new CompletableFuture<>())
                        : stages.computeIfAbsent(record.offset(), o -> CompletableFuture.completedFuture(null)));
        try {
            producer.send(new ProducerRecord<>(topic, "first")).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> stages.containsKey(0L));
            for (int i = 1; i <= 10; i++) {
                producer.send(new ProducerRecord<>(topic, "r" + i)).get(30, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> stages.size() == 11);
            assertThat(stages.get(0L)).isNotDone();
            assertThat(committed()).isZero();

            stages.get(0L).complete(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 11);
        } finally {
            loop.close();
        }
    }

    @Test
    void atMaxPollRecordsInFlightTheLoopReadsNoFurtherUntilSomeComplete() throws Exception {
        for (int i = 0; i < 20; i++) {
            producer.send(new ProducerRecord<>(topic, "r" + i));
        }
        producer.flush();
        CompletableFuture<Void> downstream = new CompletableFuture<>();
        AtomicInteger handled = new AtomicInteger();
        KafkaConsumerLoop loop = loop(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5), record -> {
            handled.incrementAndGet();
            return downstream;
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.get() == 5);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> handled.get() == 5);

            downstream.complete(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 20);
            assertThat(handled).hasValue(20);
        } finally {
            loop.close();
        }
    }

    /** Well under the 45 s session timeout that a dynamic member's successor waits out. */
    private static final Duration FAST = Duration.ofSeconds(15);

    @Test
    void aStaticMemberThatCrashedTakesItsPartitionsBackAtOnceWhenItComesBack() throws Exception {
        // the crashed replica: a static member that never said goodbye, as after a SIGKILL
        Map<String, Object> crashed = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers().orElseThrow(), ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "replica-a"));
        try (KafkaConsumer<String, String> before = new KafkaConsumer<>(crashed, new StringDeserializer(),
                new StringDeserializer())) {
            before.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                before.poll(Duration.ofMillis(100));
                return !before.assignment().isEmpty();
            });
            before.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.REMAIN_IN_GROUP));
        }
        Set<String> handled = ConcurrentHashMap.newKeySet();
        long restarted = System.nanoTime();
        KafkaConsumerLoop loop = loop(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "replica-a"),
                record -> {
                    handled.add(new String(record.value()));
                    return CompletableFuture.completedFuture(null);
                });
        try {
            producer.send(new ProducerRecord<>(topic, "after-restart")).get(30, TimeUnit.SECONDS);
            await().atMost(FAST).until(() -> handled.contains("after-restart"));
            System.out.printf("static member back at work %d ms after its restart%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        } finally {
            loop.close();
        }
    }

    @Test
    void aStaticMemberLeavesItsGroupOnCloseSoAnotherTakesItsPartitionAtOnce() throws Exception {
        Map<String, Set<String>> handled = new ConcurrentHashMap<>();
        Map<String, KafkaConsumerLoop> loops = new ConcurrentHashMap<>();
        for (String replica : List.of("replica-a", "replica-b")) {
            Set<String> mine = handled.computeIfAbsent(replica, r -> ConcurrentHashMap.newKeySet());
            loops.put(replica, loop(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, replica), record -> {
                mine.add(new String(record.value()));
                return CompletableFuture.completedFuture(null);
            }));
            await().atMost(Duration.ofSeconds(30)).until(loops.get(replica)::hasJoined);
        }
        try {
            producer.send(new ProducerRecord<>(topic, "first")).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.values().stream().anyMatch(h -> h.contains("first")));
            String owner = handled.get("replica-a").contains("first") ? "replica-a" : "replica-b";
            String other = owner.equals("replica-a") ? "replica-b" : "replica-a";

            loops.remove(owner).close();
            producer.send(new ProducerRecord<>(topic, "second")).get(30, TimeUnit.SECONDS);
            await().atMost(FAST).until(() -> handled.get(other).contains("second"));
            assertThat(handled.get(owner)).containsExactly("first");
        } finally {
            loops.values().forEach(KafkaConsumerLoop::close);
        }
    }

    /** A started loop of the test's group on its topic, from the earliest record. */
    private KafkaConsumerLoop loop(Map<String, Object> settings, KafkaConsumerLoop.RecordHandler handler) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers().orElseThrow());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumerLoop loop = KafkaConsumerLoop.fromConfig("loop-test", config, List.of(topic), handler, () -> { });
        loop.start();
        return loop;
    }

    private long committed() throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }
}
