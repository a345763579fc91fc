package dev.sluice.source.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;

/** A device publishing to the embedded broker. */
final class MqttTestClient implements AutoCloseable {
    private final Mqtt3BlockingClient client;

    MqttTestClient() {
        client = MqttClient.builder().identifier("device-" + UUID.randomUUID()).serverHost("127.0.0.1")
                .serverPort(EmbeddedMqttBroker.port()).useMqttVersion3().buildBlocking();
        client.connect();
    }

    void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    void publish(String topic, byte[] payload, boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
