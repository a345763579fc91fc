package dev.sluice.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.BusTable;
import dev.sluice.bus.Buses;
import dev.sluice.local.LocalKafkaBroker;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class KafkaBusTest {

    @Inject
    Buses buses;

    @Inject
    LocalKafkaBroker broker;

    @Test
    void publishedEventsReachASubscriberWithTheirAttributes() throws Exception {
        Bus bus = buses.resolve("default", "default", "spec.eventBus").bus();
        String topic = "kafka-bus-test-" + System.nanoTime();
        bus.ensureTopics(List.of(topic)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<BusEvent> firsts = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (BusSubscription subscription = bus.subscribe("test-" + topic, List.of(topic), event -> {
            received.add(event.event().getId());
            firsts.add(event);
            return CompletableFuture.completedFuture(null);
        })) {
            await().atMost(Duration.ofSeconds(30)).until(subscription::isAssigned);
            List<CompletableFuture<Void>> acks = IntStream.range(0, 100).mapToObj(i -> bus.publish(topic, event("e" + i))
                    .toCompletableFuture()).toList();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 100);
        }
        BusEvent first = firsts.get(0);
        assertThat(first.event().getSource()).isEqualTo(URI.create("/test"));
        assertThat(first.event().getType()).isEqualTo("dev.sluice.test");
        assertThat(new String(first.event().getData().toBytes(), StandardCharsets.UTF_8)).startsWith("{\"n\":");
        assertThat(received).hasSize(100).contains("e0", "e99");
    }

    @Test
    void aTableKeepsTheLatestValueOfEachKeyAndForgetsRemovedOnesOnACompactedTopic() throws Exception {
        Bus bus = buses.resolve("default", "default", "spec.eventBus").bus();
        String name = "kafka-table-test-" + System.nanoTime();
        BusTable table = bus.table(name).orElseThrow();
        for (int i = 0; i < 3; i++) {
            table.put("t/a/" + i, bytes("first-" + i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        table.put("t/a/1", bytes("second-1")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        table.put("t/a/2", null).toCompletableFuture().get(30, TimeUnit.SECONDS);
        table.put("t/b/0", bytes("other")).toCompletableFuture().get(30, TimeUnit.SECONDS);

        Map<String, byte[]> read = table.read("t/a/");
        assertThat(read).containsOnlyKeys("t/a/0", "t/a/1");
        assertThat(new String(read.get("t/a/1"), StandardCharsets.UTF_8)).isEqualTo("second-1");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers().orElseThrow()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
            assertThat(admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType("dev.sluice.test")
                .withDataContentType("application/json")
                .withData(("{\"n\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)).build();
    }
}
