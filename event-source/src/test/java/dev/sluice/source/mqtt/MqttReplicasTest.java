package dev.sluice.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;

import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.bus.BusNames;
import dev.sluice.source.EventKey;
import dev.sluice.testing.Mosquitto;

/**
 * Two replicas of the event-source service subscribed to one {@code $share/...} filter on a real Mosquitto: each
 * has its own client id, both stay connected, the messages are split between them, and none is lost or read twice,
 * counted by id.
 */
class MqttReplicasTest {
    private static final EventKey KEY = new EventKey("default", "sensors", "temperature");
    private static final int MESSAGES = 200;

    @Test
    void clientIdsAreTheBaseThenTheReplica() {
        String base = MqttEventSource.clientId(KEY, null, Optional.empty());
        assertThat(base).isEqualTo(BusNames.mqttClientId("default", "sensors", "temperature", Optional.empty()));
        String replica = MqttEventSource.clientId(KEY, "", Optional.of("event-source-7d9f-x2"));
        assertThat(replica).isEqualTo(BusNames.mqttClientId("default", "sensors", "temperature",
                Optional.of("event-source-7d9f-x2"))).isNotEqualTo(base)
                .isNotEqualTo(MqttEventSource.clientId(KEY, "", Optional.of("event-source-7d9f-x3")));
        assertThat(MqttEventSource.clientId(KEY, "sensors", Optional.of("pod-a"))).isEqualTo("sensors-pod-a");
        assertThat(MqttEventSource.clientId(KEY, "sensors", Optional.of(" "))).isEqualTo("sensors");
    }

    @Test
    void twoReplicasShareASubscriptionWithoutTakingEachOthersSession(@TempDir Path work) throws Exception {
        Map<String, String> readBy = new ConcurrentHashMap<>();
        AtomicInteger twice = new AtomicInteger();
        try (Mosquitto mosquitto = Mosquitto.start(work)) {
            List<MqttSubscription> replicas = IntStream.range(0, 2).mapToObj(i -> replica(mosquitto.port(),
                    "replica-" + i, message -> {
                        if (readBy.putIfAbsent(new String(message.payload(), StandardCharsets.UTF_8), "replica-" + i) != null) {
                            twice.incrementAndGet();
                        }
                        message.acknowledge().run();
                    })).toList();
            try {
                replicas.forEach(MqttSubscription::start);
                await().atMost(Duration.ofSeconds(20)).until(() -> replicas.stream()
                        .allMatch(r -> Reasons.CONNECTED.equals(r.state().getReason())));

                Mqtt3BlockingClient device = MqttClient.builder().identifier("device-" + UUID.randomUUID())
                        .serverHost("127.0.0.1").serverPort(mosquitto.port()).useMqttVersion3().buildBlocking();
                device.connect();
                for (int i = 0; i < MESSAGES; i++) {
                    device.publishWith().topic("sensors/room-" + (i % 7) + "/temp").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(("m-" + i).getBytes(StandardCharsets.UTF_8)).send();
                }
                device.disconnect();

                await().atMost(Duration.ofSeconds(30)).until(() -> readBy.size() == MESSAGES);
                assertThat(readBy.keySet()).containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, MESSAGES).mapToObj(i -> "m-" + i).toList());
                assertThat(twice).hasValue(0);
                assertThat(readBy.values()).as("the split").contains("replica-0", "replica-1");
                // a replica whose session was taken over would show BrokerUnreachable here
                replicas.forEach(r -> assertThat(r.state().getType()).isEqualTo(ConditionTypes.SOURCE_CONNECTED));
                replicas.forEach(r -> assertThat(r.state().getReason()).isEqualTo(Reasons.CONNECTED));
                assertThat(Files.readString(work.resolve("mosquitto.log"))).doesNotContain("already connected");
            } finally {
                replicas.forEach(MqttSubscription::stop);
            }
        }
    }

    private static MqttSubscription replica(int port, String instanceId,
            java.util.function.Consumer<MqttMessage> handler) {
        String clientId = MqttEventSource.clientId(KEY, "sensors", Optional.of(instanceId));
        return new MqttSubscription(KEY, new MqttSubscription.Settings("tcp://127.0.0.1:" + port, "127.0.0.1", port, null,
                clientId, "$share/sluice/sensors/+/temp", 1, false, false, null, null, false, Duration.ofMillis(50),
                Duration.ofMillis(500)), handler);
    }
}
