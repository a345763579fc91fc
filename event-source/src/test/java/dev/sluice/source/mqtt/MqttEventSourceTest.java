package dev.sluice.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.api.Condition;
import dev.sluice.api.eventsource.MqttEventSpec;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.Buses;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.EventKey;
import dev.sluice.source.FakePublisher;
import dev.sluice.source.ReceivedCounter;
import dev.sluice.source.TestEventSources;
import dev.sluice.source.TestEventSources.BusRecorder;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;

@QuarkusTest
@WithTestResource(value = EmbeddedMqttBroker.class, scope = TestResourceScope.GLOBAL)
class MqttEventSourceTest {

    @Inject
    Buses buses;

    @Inject
    ResourceCatalog catalog;

    @Inject
    ReceivedCounter received;

    @Inject
    @Identifier("mqtt")
    MqttEventSource source;

    @Test
    void messagesOnWildcardTopicsReachTheBusOnceWithTheirTopicAsSubject() {
        TestEventSources.upsert(catalog, 1, "mqtt-sensors", """
                  mqtt:
                    temperature: {url: "%s", topic: "sensors/+/temp", qos: 1}
                  """.formatted(EmbeddedMqttBroker.url()));
        TestEventSources.awaitReady(catalog, "default", "mqtt-sensors");
        try (BusRecorder bus = new BusRecorder(buses, "mqtt-sensors-test", BusNames.topic("default", "mqtt-sensors", "temperature"));
                MqttTestClient device = new MqttTestClient()) {
            for (int i = 0; i < 100; i++) {
                device.publish("sensors/room-" + i % 5 + "/temp", "{\"n\":" + i + "}");
            }
            device.publish("sensors/cellar/temp", "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"source\":\"/thermo\","
                    + "\"type\":\"thermo.reading\",\"data\":{\"c\":12}}");
            device.publish("sensors/attic/temp", "21.5 C");
            device.publish("sensors/garage/temp", "");
            device.publish("other/topic", "{\"n\":-1}");

            await().atMost(Duration.ofSeconds(60)).until(() -> bus.byId.size() >= 103);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> bus.byId.size() == 103);
            assertThat(bus.deliveries.values()).allMatch(n -> n == 1);
            List<CloudEvent> wrapped = bus.byId.values().stream()
                    .filter(e -> e.getType().equals(MqttMessageMapper.TYPE)).toList();
            Set<String> payloads = wrapped.stream().filter(e -> e.getData() != null)
                    .map(e -> new String(e.getData().toBytes(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
            assertThat(payloads).containsAll(IntStream.range(0, 100).mapToObj(i -> "{\"n\":" + i + "}").toList())
                    .contains("21.5 C").hasSize(101);
            assertThat(wrapped).allSatisfy(e -> {
                assertThat(e.getSource()).hasToString("/apis/v1alpha1/namespaces/default/eventsources/mqtt-sensors#sensors/+/temp");
                assertThat(e.getSubject()).matches("sensors/[a-z0-9-]+/temp");
            });
            CloudEvent text = wrapped.stream().filter(e -> "sensors/attic/temp".equals(e.getSubject())).findFirst().orElseThrow();
            assertThat(text.getDataContentType()).isEqualTo("application/octet-stream");
            CloudEvent empty = wrapped.stream().filter(e -> "sensors/garage/temp".equals(e.getSubject())).findFirst().orElseThrow();
            assertThat(empty.getData()).isNull();
            assertThat(bus.byId.get("ce-1").getType()).isEqualTo("thermo.reading");
        }
    }

    @Test
    void aQos1MessageIsAcknowledgedOnlyAfterTheBusSoAStoppedSourceGetsItAgain() {
        EventKey key = new EventKey("default", "direct", "acks");
        MqttEventSpec spec = spec("acks/#");
        spec.setConsumerID("sluice-test-acks");
        FakePublisher silent = new FakePublisher(e -> new CompletableFuture<>());
        source.start(key, spec, silent);
        await().atMost(Duration.ofSeconds(30)).until(() -> source.state(key).isTrue());
        try (MqttTestClient device = new MqttTestClient()) {
            device.publish("acks/1", "{\"n\":1}");
            await().atMost(Duration.ofSeconds(30)).until(() -> !silent.attempts.isEmpty());
        } finally {
            source.stop(key);
        }

        FakePublisher working = new FakePublisher(e -> CompletableFuture.completedFuture(null));
        source.start(key, spec, working);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !working.attempts.isEmpty());
            assertThat(new String(working.attempts.get(0).getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        } finally {
            source.stop(key);
        }

        FakePublisher after = new FakePublisher(e -> CompletableFuture.completedFuture(null));
        source.start(key, spec, after);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> source.state(key).isTrue());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(after.attempts::isEmpty);
        } finally {
            source.stop(key);
        }
    }

    @Test
    void aSharedSubscriptionDeliversEachMessageToOneOfItsMembers() {
        FakePublisher first = new FakePublisher(e -> CompletableFuture.completedFuture(null));
        FakePublisher second = new FakePublisher(e -> CompletableFuture.completedFuture(null));
        EventKey a = new EventKey("default", "shared", "a");
        EventKey b = new EventKey("default", "shared", "b");
        source.start(a, spec("$share/workers/jobs/#"), first);
        source.start(b, spec("$share/workers/jobs/#"), second);
        try (MqttTestClient device = new MqttTestClient()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> source.state(a).isTrue() && source.state(b).isTrue());
            for (int i = 0; i < 50; i++) {
                device.publish("jobs/" + i, "{\"job\":" + i + "}");
            }
            // two plain subscriptions would get 100; how the broker splits the 50 is its business
            await().atMost(Duration.ofSeconds(30)).until(() -> first.attempts.size() + second.attempts.size() >= 50);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> first.attempts.size() + second.attempts.size() == 50);
            Set<String> jobs = Stream.concat(first.attempts.stream(), second.attempts.stream())
                    .map(CloudEvent::getSubject).collect(Collectors.toSet());
            assertThat(jobs).hasSize(50);
            assertThat(Stream.concat(first.attempts.stream(), second.attempts.stream()).findFirst()
                    .orElseThrow().getSource()).hasToString("/apis/v1alpha1/namespaces/default/eventsources/shared#jobs/%23");
        } finally {
            source.stop(a);
            source.stop(b);
        }
    }

    @Test
    void tooLargeAndRetainedMessagesAreCountedAndAcknowledgedWithoutStallingTheOthers() {
        EventKey key = new EventKey("default", "direct", "bad-input");
        try (MqttTestClient device = new MqttTestClient()) {
            device.publish("bad/retained", "{\"old\":true}".getBytes(StandardCharsets.UTF_8), true);
            FakePublisher publisher = new FakePublisher(e -> CompletableFuture.completedFuture(null));
            source.start(key, spec("bad/#"), publisher);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> source.state(key).isTrue());
                device.publish("bad/big", "x".repeat(70_000));
                device.publish("bad/after", "{\"n\":2}");
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.attempts.size() == 1);
                assertThat(publisher.attempts.get(0).getSubject()).isEqualTo("bad/after");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> received.received(key, "mqtt", ReceivedCounter.REFUSED) == 1
                                && received.received(key, "mqtt", ReceivedCounter.SKIPPED) == 1);
            } finally {
                source.stop(key);
                device.publish("bad/retained", new byte[0], true); // clears the retained message
            }
        }
    }

    @Test
    void aBrokerThatGoesAwayMakesAReadySourceNotReadyAndItReconnectsByItself() {
        TestEventSources.upsert(catalog, 1, "mqtt-flaky", """
                  mqtt:
                    readings: {url: "%s", topic: "flaky/#", qos: 1, protocolVersion: 5}
                  """.formatted(EmbeddedMqttBroker.url()));
        TestEventSources.awaitReady(catalog, "default", "mqtt-flaky");
        EmbeddedMqttBroker.restart(() -> await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Condition ready = TestEventSources.condition(catalog, "default", "mqtt-flaky", Condition.READY).orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("BrokerUnreachable");
            assertThat(ready.getMessage()).contains("spec.mqtt.readings", EmbeddedMqttBroker.url());
        }));
        TestEventSources.awaitReady(catalog, "default", "mqtt-flaky");
        try (BusRecorder bus = new BusRecorder(buses, "mqtt-flaky-test", BusNames.topic("default", "mqtt-flaky", "readings"));
                MqttTestClient device = new MqttTestClient()) {
            device.publish("flaky/1", "{\"after\":\"restart\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.size() == 1);
            assertThat(bus.byId.values().iterator().next().getSubject()).isEqualTo("flaky/1");
        }
    }

    private static MqttEventSpec spec(String topic) {
        MqttEventSpec spec = new MqttEventSpec();
        spec.setUrl(EmbeddedMqttBroker.url());
        spec.setTopic(topic);
        spec.setQos(1);
        spec.setConsumerID("sluice-test-" + UUID.randomUUID());
        return spec;
    }
}
