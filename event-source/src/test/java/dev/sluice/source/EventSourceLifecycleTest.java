package dev.sluice.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

import dev.sluice.bus.BusNames;
import dev.sluice.embedded.EmbeddedKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.mqtt.EmbeddedMqttBroker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Adding, changing or removing one event of an EventSource starts, restarts or stops that event's adapter
 * alone. Seen from the brokers: a Kafka adapter's consumer-group member id, an MQTT adapter's connect count.
 */
@QuarkusTest
class EventSourceLifecycleTest {
    // %1$s is the Kafka brokers, %2$s the MQTT broker's URL
    private static final String A = "a: {brokers: \"%1$s\", topic: life-a}";
    private static final String B = "b: {brokers: \"%1$s\", topic: life-b}";
    private static final String CHANGED_B = "b: {brokers: \"%1$s\", topic: life-b, maxMessageBytes: 512}";
    private static final String C = "c: {brokers: \"%1$s\", topic: life-c}";
    private static final String M = "m: {url: \"%2$s\", topic: life/m, consumerID: life-m}";

    @Inject
    EmbeddedKafkaBroker kafka;

    @Inject
    ResourceCatalog catalog;

    @Test
    void oneChangedEventRestartsOnlyItsOwnAdapter() throws Exception {
        String brokers = kafka.bootstrapServers().orElseThrow();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            admin.createTopics(List.of(new NewTopic("life-a", 1, (short) 1), new NewTopic("life-b", 1, (short) 1),
                    new NewTopic("life-c", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            upsert(1, brokers, List.of(A, B), M);
            String a = awaitMember(admin, "a");
            String b = awaitMember(admin, "b");
            await().atMost(Duration.ofSeconds(30)).until(() -> EmbeddedMqttBroker.connects("life-m") == 1);

            // b changes: b restarts, a and the MQTT event keep running
            upsert(2, brokers, List.of(A, CHANGED_B), M);
            String restartedB = await().atMost(Duration.ofSeconds(60)).until(() -> member(admin, "b"),
                    m -> m != null && !m.equals(b));
            assertThat(member(admin, "a")).isEqualTo(a);
            assertThat(EmbeddedMqttBroker.connects("life-m")).isEqualTo(1);

            // c is added: c starts, the others keep running
            upsert(3, brokers, List.of(A, CHANGED_B, C), M);
            awaitMember(admin, "c");
            assertThat(member(admin, "a")).isEqualTo(a);
            assertThat(member(admin, "b")).isEqualTo(restartedB);

            // b and the MQTT event are removed: they stop, a and c keep running
            upsert(4, brokers, List.of(A, C), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> member(admin, "b") == null);
            assertThat(member(admin, "a")).isEqualTo(a);
            assertThat(EmbeddedMqttBroker.connects("life-m")).isEqualTo(1);
            TestEventSources.awaitReady(catalog, "default", "life");
        }
    }

    /** The EventSource "life": these kafka events and, unless null, this mqtt event. */
    private void upsert(long generation, String brokers, List<String> kafkaEvents, String mqttEvent) {
        StringBuilder sources = new StringBuilder("kafka:\n");
        kafkaEvents.forEach(event -> sources.append("  ").append(event).append('\n'));
        if (mqttEvent != null) {
            sources.append("mqtt:\n  ").append(mqttEvent).append('\n');
        }
        TestEventSources.upsert(catalog, generation, "life", sources.toString().formatted(brokers, EmbeddedMqttBroker.url()));
    }

    private static String awaitMember(Admin admin, String event) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> member(admin, event), m -> m != null);
    }

    /** The one member of an event's consumer group, null when the group has none. */
    private static String member(Admin admin, String event) throws Exception {
        String group = BusNames.sourceGroup("default", "life", event);
        List<String> members;
        try {
            members = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .members().stream().map(m -> m.consumerId()).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null; // its consumer has not joined yet
            }
            throw e;
        }
        assertThat(members).hasSizeLessThanOrEqualTo(1);
        return members.isEmpty() ? null : members.get(0);
    }
}
