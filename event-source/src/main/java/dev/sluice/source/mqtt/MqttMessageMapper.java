package dev.sluice.source.mqtt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;

import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.source.EventKey;
import dev.sluice.source.MessagePayload;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

/**
 * Turns one MQTT message into the CloudEvent that goes on the bus. A payload that is a CloudEvent in structured
 * JSON mode passes through unchanged. Any other payload becomes a new event: {@code id} a random UUID,
 * {@code source} {@code /apis/v1alpha1/namespaces/{ns}/eventsources/{name}#{topic filter}} (without a
 * {@code $share/<group>/} prefix), {@code type} {@code dev.sluice.mqtt.message}, {@code subject} the topic the
 * message was published on, and the payload as data (see {@link MessagePayload}).
 * <p>
 * The id is random because nothing in an MQTT message identifies it: the packet id of QoS 1 and 2 is reused as
 * soon as it is acknowledged. A message the broker delivers twice (the source stopped before acknowledging it)
 * therefore gets two ids; publishers that need de-duplication send CloudEvents with ids of their own.
 */
public final class MqttMessageMapper {
    public static final String TYPE = "dev.sluice.mqtt.message";
    private static final byte[] SPECVERSION = "\"specversion\"".getBytes(StandardCharsets.US_ASCII);

    private final URI source;
    private final Supplier<String> ids;
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    public MqttMessageMapper(EventKey key, String topicFilter) {
        this(key, topicFilter, () -> UUID.randomUUID().toString());
    }

    MqttMessageMapper(EventKey key, String topicFilter, Supplier<String> ids) {
        this.source = CloudEvents.sourceUri(key.namespace(), key.eventSource(), withoutSharePrefix(topicFilter));
        this.ids = ids;
    }

    public CloudEvent toEvent(MqttMessage message) {
        if (mayBeCloudEvent(message)) {
            try {
                return json.deserialize(message.payload());
            } catch (RuntimeException e) {
                // JSON that mentions specversion without being a CloudEvent is data like any other
            }
        }
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(ids.get())
                .withSource(source)
                .withType(TYPE)
                .withSubject(message.topic());
        return new MessagePayload(message.payload(), message.contentType()).applyTo(event).build();
    }

    /** {@code $share/<group>/<filter>} names the same messages as {@code <filter>}; the group is the replicas' business. */
    static String withoutSharePrefix(String topicFilter) {
        if (topicFilter.startsWith("$share/")) {
            int end = topicFilter.indexOf('/', "$share/".length());
            return end < 0 ? topicFilter : topicFilter.substring(end + 1);
        }
        return topicFilter;
    }

    private static boolean mayBeCloudEvent(MqttMessage message) {
        if (message.contentType() != null) {
            return message.contentType().startsWith("application/cloudevents+json");
        }
        byte[] payload = message.payload();
        int first = 0;
        while (first < payload.length && Character.isWhitespace(payload[first])) {
            first++;
        }
        return first < payload.length && payload[first] == '{' && contains(payload, SPECVERSION);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
