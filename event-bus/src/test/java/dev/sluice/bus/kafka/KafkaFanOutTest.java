package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.sluice.bus.BusSubscription;
import dev.sluice.local.LocalKafkaBroker;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.junit.QuarkusTest;

/** Shared subscriptions on two replicas: the partitions are shared out, and each group's own position is kept. */
@QuarkusTest
class KafkaFanOutTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int EVENTS = 100;

    @Inject
    LocalKafkaBroker broker;

    @Test
    void twoReplicasShareThePartitionsAndEachGroupStartsAtItsCommittedPositionOrAtTheEnd() throws Exception {
        String topic = "fan-out-test-" + System.nanoTime();
        Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers().orElseThrow());
        Map<String, Set<String>> received = Map.of("legacy", ConcurrentHashMap.newKeySet(), "fresh", ConcurrentHashMap.newKeySet());
        Map<String, Set<String>> byReplica = Map.of("a", ConcurrentHashMap.newKeySet(), "b", ConcurrentHashMap.newKeySet());
        List<BusSubscription> subscriptions = new ArrayList<>();
        try (Admin admin = Admin.create(client);
                KafkaBus a = new KafkaBus(client, java.util.Optional.of(2), java.util.Optional.empty(), g -> "a-" + g, 1 << 20);
                KafkaBus b = new KafkaBus(client, java.util.Optional.of(2), java.util.Optional.empty(), g -> "b-" + g, 1 << 20)) {
            a.ensureTopics(List.of(topic)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<String> old = publish(a, topic, "old");
            // a group from before the shared reader, which had read nothing yet
            admin.alterConsumerGroupOffsets(group("legacy", topic), Map.of(new TopicPartition(topic, 0),
                    new OffsetAndMetadata(0), new TopicPartition(topic, 1), new OffsetAndMetadata(0))).all()
                    .get(30, TimeUnit.SECONDS);

            for (Map.Entry<String, KafkaBus> replica : Map.of("a", a, "b", b).entrySet()) {
                for (String name : received.keySet()) {
                    subscriptions.add(replica.getValue().subscribeShared(group(name, topic), List.of(topic), event -> {
                        received.get(name).add(event.event().getId());
                        byReplica.get(replica.getKey()).add(event.event().getId());
                        return CompletableFuture.completedFuture(null);
                    }));
                }
            }
            await().atMost(PATIENCE).until(() -> subscriptions.stream().allMatch(BusSubscription::isAssigned));
            // both replicas joined: the group shared the two partitions out, one each
            await().atMost(PATIENCE).until(() -> admin.describeConsumerGroups(List.of(
                    dev.sluice.bus.BusNames.fanOutGroup(List.of(topic)))).all().get(30, TimeUnit.SECONDS).values()
                    .iterator().next().members().stream().allMatch(m -> m.assignment().topicPartitions().size() == 1));
            await().atMost(PATIENCE).until(() -> subscriptions.stream().allMatch(BusSubscription::isAssigned));
            List<String> fresh = publish(a, topic, "new");

            List<String> all = new ArrayList<>(old);
            all.addAll(fresh);
            await().atMost(PATIENCE).until(() -> received.get("legacy").size() >= all.size()
                    && received.get("fresh").size() >= fresh.size());
            assertThat(received.get("legacy")).as("from its committed position").containsExactlyInAnyOrderElementsOf(all);
            assertThat(received.get("fresh")).as("from the end").containsExactlyInAnyOrderElementsOf(fresh);
            assertThat(byReplica.get("a")).as("replica a read a partition").isNotEmpty();
            assertThat(byReplica.get("b")).as("replica b read a partition").isNotEmpty();
            for (String name : received.keySet()) {
                await().atMost(PATIENCE).until(() -> admin.listConsumerGroupOffsets(group(name, topic))
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).values().stream()
                        .mapToLong(OffsetAndMetadata::offset).sum() == 2L * EVENTS);
            }
        } finally {
            subscriptions.forEach(BusSubscription::close);
        }
    }

    private static String group(String name, String topic) {
        return name + "-" + topic;
    }

    /** Events with a subject each, the record key, so that both partitions get some. */
    private static List<String> publish(KafkaBus bus, String topic, String prefix) throws Exception {
        List<CloudEvent> events = IntStream.range(0, EVENTS).mapToObj(i -> CloudEventBuilder.v1().withId(prefix + i)
                .withSource(URI.create("/test")).withType("dev.sluice.test").withSubject("s" + i)
                .withData("{}".getBytes(StandardCharsets.UTF_8)).build()).toList();
        CompletableFuture.allOf(events.stream().map(e -> bus.publish(topic, e).toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return events.stream().map(CloudEvent::getId).toList();
    }
}
