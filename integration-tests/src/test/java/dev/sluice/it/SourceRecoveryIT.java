package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

/**
 * Kills the packaged local mode with SIGKILL while a Kafka topic and an MQTT topic (QoS 1, on a real
 * Mosquitto) feed it, restarts it on the same data folder, and counts: every message its broker
 * acknowledged to the producer reaches the sink, behind the source, the bus and a Trigger.
 */
class SourceRecoveryIT {
    private static final int MESSAGES = 4_000;
    private static final int DELIVERED_BEFORE_KILL = 800;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess();

    @Test
    void noKafkaRecordIsLostWhenTheProcessIsKilledMidStream() throws Exception {
        try (RecordingSink sink = RecordingSink.start()) {
            String[] ready = writeResources("""
                    kafka:
                        payments: {brokers: "%s", topic: payments-in, initialOffset: earliest}
                    """.formatted(sluice.kafkaBootstrap()), "payments", sink.uri());
            sluice.start(ready);
            try (KafkaFeed feed = new KafkaFeed(sluice.kafkaBootstrap(), MESSAGES)) {
                killMidStreamAndCount("KAFKA-SOURCE", feed, sink);
            }
        }
    }

    @Test
    void noMqttQos1MessageIsLostWhenTheProcessIsKilledMidStream() throws Exception {
        try (RecordingSink sink = RecordingSink.start();
                Mosquitto mosquitto = Mosquitto.start(sluice.resourcesDir().getParent())) {
            String[] ready = writeResources("""
                    mqtt:
                        temperatures:
                          url: "tcp://127.0.0.1:%d"
                          topic: "sensors/+/temp"
                          qos: 1
                          consumerID: sluice-it-%s
                          cleanSession: false
                    """.formatted(mosquitto.port(), UUID.randomUUID()), "temperatures", sink.uri());
            sluice.start(ready);
            try (MqttFeed feed = new MqttFeed(mosquitto.port(), MESSAGES)) {
                killMidStreamAndCount("MQTT-SOURCE", feed, sink);
            }
        }
    }

    private void killMidStreamAndCount(String label, Feed feed, RecordingSink sink) throws Exception {
        feed.start();
        await(DELIVERED_BEFORE_KILL + " delivered before the kill").atMost(Duration.ofSeconds(60))
                .until(() -> sink.ids().size() >= DELIVERED_BEFORE_KILL);
        sluice.kill();
        int deliveredAtKill = sink.ids().size();
        sluice.restart();
        long ready = System.nanoTime();
        // the source's and the Trigger's consumers are static members: they read on without waiting out a session
        await("deliveries resume after the restart").atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> sink.ids().size() > deliveredAtKill);
        Duration recovery = Duration.ofNanos(System.nanoTime() - ready);
        await("the feed to finish").atMost(Duration.ofMinutes(3)).until(feed::isDone);
        Set<String> acknowledged = feed.acknowledged();
        await("every acknowledged message at the sink").atMost(DELIVERY_TIMEOUT)
                .until(() -> sink.missing(acknowledged).isEmpty());
        Set<String> lost = sink.missing(acknowledged);
        System.out.printf("%s: ready-to-delivered=%d ms produced=%d acknowledged=%d failed=%d delivered-at-kill=%d"
                + " delivered-unique=%d lost=%d duplicates=%d%n", label, recovery.toMillis(), MESSAGES,
                acknowledged.size(), feed.failures(), deliveredAtKill,
                sink.ids().size(), lost.size(), sink.duplicates());
        assertThat(deliveredAtKill).as("the kill came mid-stream").isLessThan(acknowledged.size());
        assertThat(recovery).as("from ready after the restart to the next delivery")
                .isLessThan(CrashRecoveryIT.RECOVERY_BOUND);
        assertThat(acknowledged).as("the producers' brokers acknowledged nearly everything")
                .hasSizeGreaterThan(MESSAGES * 9 / 10);
        assertThat(lost).isEmpty();
        assertThat(sink.unexpected(acknowledged)).as("only produced messages arrive").isEmpty();
    }

    /** One EventSource {@code feeds} with the given source section, and a Trigger sending every event to the sink. */
    private String[] writeResources(String sourceSection, String event, URI sink) throws java.io.IOException {
        Path folder = sluice.resourcesDir();
        Files.writeString(folder.resolve("feeds.yaml"), """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: feeds, namespace: default}
                spec:
                  eventBus: default
                  %s
                ---
                apiVersion: events.sluice.dev/v1alpha1
                kind: Trigger
                metadata: {name: all-feeds, namespace: default}
                spec:
                  eventBus: default
                  inputs:
                    feed: {eventSource: feeds, event: %s}
                  subscribers:
                  - condition: feed
                    sink: {uri: "%s"}
                """.formatted(sourceSection.strip().replace("\n", "\n  "), event, sink));
        return new String[] {"EventSource/default/feeds", "Trigger/default/all-feeds"};
    }

    /** Plain JSON records (not CloudEvents): Sluice gives each the id {@code partition:P/offset:O}. */
    private static final class KafkaFeed extends Feed {
        private final KafkaProducer<String, String> producer;

        KafkaFeed(String bootstrap, int total) {
            super(total);
            // the broker lives in the process that is killed: keep records buffered until it is back
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                    new StringSerializer(), new StringSerializer());
        }

        @Override
        protected void publish(int number) {
            producer.send(new ProducerRecord<>("payments-in", "{\"payment\":" + number + "}"), (metadata, error) -> {
                if (error == null) {
                    acknowledged("partition:" + metadata.partition() + "/offset:" + metadata.offset());
                } else {
                    failed();
                }
            });
        }

        @Override
        public void close() throws Exception {
            super.close();
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Structured CloudEvents with ids of their own, QoS 1: Sluice passes them through unchanged. */
    private static final class MqttFeed extends Feed {
        private final Mqtt3AsyncClient client;

        MqttFeed(int port, int total) {
            super(total);
            client = MqttClient.builder().identifier("it-sensor-" + UUID.randomUUID()).serverHost("127.0.0.1")
                    .serverPort(port).useMqttVersion3().buildAsync();
            client.connect().join();
        }

        @Override
        protected void publish(int number) {
            String id = "temp-" + number;
            byte[] payload = ("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/sensors/kitchen\","
                    + "\"type\":\"sensor.temperature\",\"datacontenttype\":\"application/json\","
                    + "\"data\":{\"celsius\":" + (number % 40) + "}}").getBytes(StandardCharsets.UTF_8);
            client.publishWith().topic("sensors/kitchen/temp").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            acknowledged(id);
                        } else {
                            failed();
                        }
                    });
        }

        @Override
        public void close() throws Exception {
            super.close();
            client.disconnect().join();
        }
    }
}
