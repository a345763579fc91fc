package dev.sluice.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.bus.BusNames;
import dev.sluice.api.Condition;
import dev.sluice.api.eventsource.KafkaEventSpec;
import dev.sluice.bus.Buses;
import dev.sluice.embedded.EmbeddedKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.EventKey;
import dev.sluice.source.FakePublisher;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.TestEventSources;
import dev.sluice.source.TestEventSources.BusRecorder;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;

@QuarkusTest
class KafkaEventSourceTest {

    @Inject
    EmbeddedKafkaBroker broker;

    @Inject
    Buses buses;

    @Inject
    ResourceCatalog catalog;

    @Inject
    ReceivedCounter received;

    @Inject
    @Identifier("kafka")
    KafkaEventSource source;

    @Test
    void everyRecordReachesTheBusOnceMappedOrUnchanged() throws Exception {
        try (SourceTopic topic = new SourceTopic(broker.bootstrapServers().orElseThrow(), "payments")) {
            TestEventSources.upsert(catalog, 1, "kafka-shop", """
                      kafka:
                        payments: {brokers: "%s", topic: %s, initialOffset: earliest}
                      """.formatted(topic.brokers, topic.name));
            TestEventSources.awaitReady(catalog, "default", "kafka-shop");
            try (BusRecorder bus = new BusRecorder(buses, "kafka-source-test", "default-kafka-shop-payments")) {
                Set<String> expected = new HashSet<>();
                for (int i = 0; i < 100; i++) {
                    long offset = topic.send("customer-" + i % 7, "{\"amount\":" + i + "}").offset();
                    expected.add("partition:0/offset:" + offset);
                }
                topic.send("ignored", "{\"amount\":1}", "ce_specversion", "1.0", "ce_id", "bin-1", "ce_source", "/shop",
                        "ce_type", "shop.payment", "content-type", "application/json");
                topic.send(null, "{\"specversion\":\"1.0\",\"id\":\"str-1\",\"source\":\"/shop\",\"type\":\"shop.payment\"}",
                        "content-type", "application/cloudevents+json");
                long empty = topic.send("k", (byte[]) null).offset();
                long text = topic.send(null, "hello, not JSON").offset();
                long declared = topic.send(null, "a,b\n1,2", "content-type", "text/csv").offset();
                expected.addAll(List.of("bin-1", "str-1", "partition:0/offset:" + empty, "partition:0/offset:" + text,
                        "partition:0/offset:" + declared));

                await().atMost(Duration.ofSeconds(60)).until(() -> bus.byId.keySet().containsAll(expected));
                assertThat(bus.byId.keySet()).isEqualTo(expected);
                assertThat(bus.deliveries.values()).allMatch(n -> n == 1);

                CloudEvent first = bus.byId.get("partition:0/offset:0");
                assertThat(first.getSource()).hasToString(
                        "/apis/v1alpha1/namespaces/default/eventsources/kafka-shop#" + topic.name);
                assertThat(first.getType()).isEqualTo(KafkaRecordMapper.TYPE);
                assertThat(first.getExtension("partitionkey")).isEqualTo("customer-0");
                assertThat(first.getDataContentType()).isEqualTo("application/json");
                assertThat(new String(first.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":0}");
                assertThat(bus.byId.get("bin-1").getType()).isEqualTo("shop.payment");
                assertThat(bus.byId.get("str-1").getSource()).hasToString("/shop");
                assertThat(bus.byId.get("partition:0/offset:" + empty).getData()).isNull();
                assertThat(bus.byId.get("partition:0/offset:" + text).getDataContentType())
                        .isEqualTo("application/octet-stream");
                assertThat(bus.byId.get("partition:0/offset:" + declared).getDataContentType()).isEqualTo("text/csv");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> topic.committed(BusNames.sourceGroup("default", "kafka-shop", "payments")) == topic.end());
        }
    }

    @Test
    void oversizedAndBrokenRecordsAreRefusedCountedAndCommittedWithoutStallingThePartition() throws Exception {
        try (SourceTopic topic = new SourceTopic(broker.bootstrapServers().orElseThrow(), "limits")) {
            TestEventSources.upsert(catalog, 1, "kafka-limits", """
                      kafka:
                        small: {brokers: "%s", topic: %s, initialOffset: earliest, maxMessageBytes: 64}
                      """.formatted(topic.brokers, topic.name));
            TestEventSources.awaitReady(catalog, "default", "kafka-limits");
            EventKey key = new EventKey("default", "kafka-limits", "small");
            try (BusRecorder bus = new BusRecorder(buses, "kafka-limits-test", key.topic())) {
                long before = topic.send(null, "{\"n\":1}").offset();
                topic.send(null, "{\"pad\":\"" + "x".repeat(200) + "\"}");
                topic.send(null, "{}", "ce_specversion", "1.0", "ce_source", "/no-id", "ce_type", "t");
                long after = topic.send(null, "{\"n\":2}").offset();

                await().atMost(Duration.ofSeconds(60)).until(() -> bus.byId.size() == 2);
                assertThat(bus.byId).containsOnlyKeys("partition:0/offset:" + before, "partition:0/offset:" + after);
            }
            assertThat(received.received(key, "kafka", ReceivedCounter.REFUSED)).isEqualTo(2);
            assertThat(received.received(key, "kafka", ReceivedCounter.PUBLISHED)).isEqualTo(2);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> topic.committed(BusNames.sourceGroup("default", "kafka-limits", "small")) == 4);
        }
    }

    @Test
    void theOffsetIsCommittedOnlyAfterTheBusAcknowledgedAndAFailedPublishIsRetried() throws Exception {
        try (SourceTopic topic = new SourceTopic(broker.bootstrapServers().orElseThrow(), "acks")) {
            EventKey key = new EventKey("default", "direct", "acks");
            String group = "acks-" + UUID.randomUUID();
            CompletableFuture<Void> held = new CompletableFuture<>();
            FakePublisher publisher = new FakePublisher(e -> CompletableFuture.failedFuture(new IllegalStateException("bus down")));
            source.start(key, spec(topic, group), publisher);
            try {
                topic.send("k", "{\"n\":1}");
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.attempts.size() >= 3);
                publisher.answer(e -> held);
                int attempts = publisher.attempts.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.attempts.size() > attempts);

                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> topic.committed(group) <= 0);
                held.complete(null);
                await().atMost(Duration.ofSeconds(30)).until(() -> topic.committed(group) == 1);
                assertThat(publisher.attempts).extracting(CloudEvent::getId).containsOnly("partition:0/offset:0");
            } finally {
                source.stop(key);
            }
        }
    }

    @Test
    void aRecordNotAcknowledgedWhenTheSourceStopsIsReadAgainWithTheSameId() throws Exception {
        try (SourceTopic topic = new SourceTopic(broker.bootstrapServers().orElseThrow(), "restart")) {
            EventKey key = new EventKey("default", "direct", "restart");
            String group = "restart-" + UUID.randomUUID();
            FakePublisher failing = new FakePublisher(e -> CompletableFuture.failedFuture(new IllegalStateException("bus down")));
            source.start(key, spec(topic, group), failing);
            topic.send("k", "{\"n\":1}");
            await().atMost(Duration.ofSeconds(30)).until(() -> failing.attempts.size() >= 2);
            source.stop(key);
            assertThat(topic.committed(group)).isLessThanOrEqualTo(0);

            FakePublisher working = new FakePublisher(e -> CompletableFuture.completedFuture(null));
            source.start(key, spec(topic, group), working);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> topic.committed(group) == 1);
                assertThat(working.attempts).extracting(CloudEvent::getId).containsExactly("partition:0/offset:0");
            } finally {
                source.stop(key);
            }
        }
    }

    @Test
    void anUnreachableBrokerMakesTheSourceNotReadyWithAReasonWhileItKeepsTrying() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        TestEventSources.upsert(catalog, 1, "kafka-nowhere", """
                  kafka:
                    payments: {brokers: "127.0.0.1:%d", topic: payments}
                  """.formatted(port));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Condition ready = TestEventSources.condition(catalog, "default", "kafka-nowhere", Condition.READY).orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("BrokerUnreachable");
            assertThat(ready.getMessage()).contains("spec.kafka.payments", "127.0.0.1:" + port);
        });
        assertThat(source.state(new EventKey("default", "kafka-nowhere", "payments")).getReason())
                .isEqualTo("BrokerUnreachable");
    }

    private static KafkaEventSpec spec(SourceTopic topic, String group) {
        KafkaEventSpec spec = new KafkaEventSpec();
        spec.setBrokers(topic.brokers);
        spec.setTopic(topic.name);
        spec.setConsumerGroup(group);
        spec.setInitialOffset("earliest");
        return spec;
    }
}
