package dev.sluice.source.mqtt;

/**
 * One message as the broker delivered it, whatever the protocol version.
 *
 * @param topic the topic it was published on (not the subscription's filter)
 * @param contentType the MQTT 5 content type, or null
 * @param acknowledge sends the PUBACK (QoS 1) or PUBREC (QoS 2); does nothing for QoS 0
 */
public record MqttMessage(String topic, byte[] payload, int qos, boolean retain, String contentType,
        Runnable acknowledge) {
}
