package dev.sluice.source.redis;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.source.EventKey;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Turns a stream entry or a channel message into a CloudEvent. A stream entry's id is the entry id (unique in its
 * stream, the same on every redelivery), its data the entry's fields as a JSON object, and its time the entry id's
 * milliseconds. A channel message has no id of its own, so it gets a random one; its data is the message as sent.
 * {@code source} is {@code /apis/v1alpha1/namespaces/{ns}/eventsources/{name}#{stream or channel}}, {@code subject}
 * the stream or channel.
 */
final class RedisMessageMapper {
    static final String STREAM_TYPE = "dev.sluice.redis.stream";
    static final String CHANNEL_TYPE = "dev.sluice.redis.message";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI source;
    private final String name;

    RedisMessageMapper(EventKey key, String name) {
        this.source = CloudEvents.sourceUri(key.namespace(), key.eventSource(), name);
        this.name = name;
    }

    CloudEvent entry(String entryId, Map<String, String> fields) {
        byte[] data;
        try {
            data = JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        CloudEventBuilder builder = CloudEventBuilder.v1().withId(entryId).withSource(source).withType(STREAM_TYPE)
                .withSubject(name).withDataContentType("application/json").withData(data);
        int dash = entryId.indexOf('-');
        if (dash > 0) {
            builder.withTime(Instant.ofEpochMilli(Long.parseLong(entryId.substring(0, dash))).atOffset(ZoneOffset.UTC));
        }
        return builder.build();
    }

    CloudEvent message(byte[] payload) {
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(source).withType(CHANNEL_TYPE)
                .withSubject(name).withData(payload).build();
    }
}
