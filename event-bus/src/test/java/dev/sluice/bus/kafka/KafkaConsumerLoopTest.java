package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class KafkaConsumerLoopTest {

    @Inject
    EmbeddedKafkaBroker broker;

    @Test
    void aRecordWhoseStageFailedIsReadAgainAndNothingPastItIsCommittedBefore() throws Exception {
        String brokers = broker.bootstrapServers().orElseThrow();
        String topic = "loop-" + UUID.randomUUID();
        String group = "loop-test-" + topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers));
                KafkaProducer<String, String> producer = producer(brokers)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "r" + i)).get(30, TimeUnit.SECONDS);
            }
            Map<Long, AtomicInteger> handled = new ConcurrentHashMap<>();
            CompletableFuture<Void> firstTryOfRecord1 = new CompletableFuture<>();
            KafkaConsumerLoop loop = loop(brokers, group, topic, Map.of(), record -> {
                int tries = handled.computeIfAbsent(record.offset(), o -> new AtomicInteger()).incrementAndGet();
                return record.offset() == 1 && tries == 1 ? firstTryOfRecord1 : CompletableFuture.completedFuture(null);
            });
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsKey(2L));
                // record 0 is done and may be committed; nothing past the pending record 1 may be
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, topic) == 1);
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> committed(admin, group, topic) == 1);
                firstTryOfRecord1.completeExceptionally(new IllegalStateException("downstream failed"));

                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, topic) == 3);
                assertThat(handled.get(0L)).hasValue(1);
                assertThat(handled.get(1L)).hasValue(2);
                assertThat(loop.isConnected()).isTrue();
                assertThat(loop.lastError()).isEmpty();
            } finally {
                loop.close();
            }
        }
    }

    @Test
    void aPendingRecordHoldsBackNeitherTheNextRecordsNorTheirHandling() throws Exception {
        String brokers = broker.bootstrapServers().orElseThrow();
        String topic = "loop-" + UUID.randomUUID();
        String group = "loop-test-" + topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers));
                KafkaProducer<String, String> producer = producer(brokers)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<Long, CompletableFuture<Void>> stages = new ConcurrentHashMap<>();
            KafkaConsumerLoop loop = loop(brokers, group, topic, Map.of(),
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
                assertThat(committed(admin, group, topic)).isZero();

                stages.get(0L).complete(null);
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, topic) == 11);
            } finally {
                loop.close();
            }
        }
    }

    @Test
    void atMaxPollRecordsInFlightTheLoopReadsNoFurtherUntilSomeComplete() throws Exception {
        String brokers = broker.bootstrapServers().orElseThrow();
        String topic = "loop-" + UUID.randomUUID();
        String group = "loop-test-" + topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers));
                KafkaProducer<String, String> producer = producer(brokers)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "r" + i));
            }
            producer.flush();
            CompletableFuture<Void> downstream = new CompletableFuture<>();
            AtomicInteger handled = new AtomicInteger();
            KafkaConsumerLoop loop = loop(brokers, group, topic, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5),
                    record -> {
                        handled.incrementAndGet();
                        return downstream;
                    });
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.get() == 5);
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> handled.get() == 5);

                downstream.complete(null);
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, topic) == 20);
                assertThat(handled).hasValue(20);
            } finally {
                loop.close();
            }
        }
    }

    /** A started loop of its own group on the topic, from its earliest record. */
    private static KafkaConsumerLoop loop(String brokers, String group, String topic, Map<String, Object> settings,
            KafkaConsumerLoop.RecordHandler handler) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumerLoop loop = new KafkaConsumerLoop("loop-test", config, List.of(topic), handler, () -> { });
        loop.start();
        return loop;
    }

    private static KafkaProducer<String, String> producer(String brokers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }
}
