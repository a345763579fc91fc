package dev.sluice.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.source.EventKey;
import io.cloudevents.CloudEvent;

class MqttMessageMapperTest {
    private final AtomicInteger ids = new AtomicInteger();
    private final EventKey key = new EventKey("plant", "sensors", "temperature");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", quoteCharacter = '`', textBlock = """
            JSON payload              | sensors/+/temp             | sensors/a/temp | {"c":21}  | null                     | id-1 | dev.sluice.mqtt.message | application/json         | /apis/v1alpha1/namespaces/plant/eventsources/sensors#sensors/+/temp
            text payload              | sensors/#                  | sensors/a/temp | 21.5 C    | null                     | id-1 | dev.sluice.mqtt.message | application/octet-stream | /apis/v1alpha1/namespaces/plant/eventsources/sensors#sensors/%23
            empty payload             | sensors/a/temp             | sensors/a/temp | ``        | null                     | id-1 | dev.sluice.mqtt.message | null                     | /apis/v1alpha1/namespaces/plant/eventsources/sensors#sensors/a/temp
            MQTT 5 content type       | sensors/a/temp             | sensors/a/temp | a;b       | text/csv                 | id-1 | dev.sluice.mqtt.message | text/csv                 | /apis/v1alpha1/namespaces/plant/eventsources/sensors#sensors/a/temp
            shared subscription       | $share/workers/sensors/+/t | sensors/a/t    | {}        | null                     | id-1 | dev.sluice.mqtt.message | application/json         | /apis/v1alpha1/namespaces/plant/eventsources/sensors#sensors/+/t
            mentions specversion only | sensors/a/temp             | sensors/a/temp | `{"specversion":"1.0"}` | null       | id-1 | dev.sluice.mqtt.message | application/json         | /apis/v1alpha1/namespaces/plant/eventsources/sensors#sensors/a/temp
            structured CloudEvent     | sensors/a/temp             | sensors/a/temp | `{"specversion":"1.0","id":"ce-9","source":"/thermo","type":"t.r"}` | null | ce-9 | t.r | null | /thermo
            """)
    void mapsEachKindOfMessage(String name, String filter, String topic, String payload, String contentType, String id,
            String type, String dataContentType, String source) {
        MqttMessageMapper mapper = new MqttMessageMapper(key, filter, () -> "id-" + ids.incrementAndGet());

        CloudEvent event = mapper.toEvent(new MqttMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false,
                contentType, () -> { }));

        assertThat(event.getId()).isEqualTo(id);
        assertThat(event.getType()).isEqualTo(type);
        assertThat(event.getDataContentType()).isEqualTo(dataContentType);
        assertThat(event.getSource()).hasToString(source);
        if (type.equals(MqttMessageMapper.TYPE)) {
            assertThat(event.getSubject()).isEqualTo(topic);
            assertThat(event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(payload);
        }
    }

    @Test
    void theSameMessageTwiceGetsTwoIdsBecauseMqttCarriesNone() {
        MqttMessageMapper mapper = new MqttMessageMapper(key, "t");
        MqttMessage message = new MqttMessage("t", "{}".getBytes(StandardCharsets.UTF_8), 1, false, null, () -> { });
        assertThat(mapper.toEvent(message).getId()).isNotEqualTo(mapper.toEvent(message).getId());
    }
}
