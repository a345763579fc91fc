package dev.sluice.source.kafka;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.source.EventKey;
import dev.sluice.source.MessagePayload;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;

/**
 * Turns one Kafka record of a source topic into the CloudEvent that goes on the bus. A record that already is a
 * CloudEvent (binary mode: a {@code ce_specversion} header; structured mode: a {@code content-type} of
 * {@code application/cloudevents+...}) passes through unchanged. Any other record becomes a new event whose
 * attributes depend only on the record, so a record read twice gives the same event: {@code id}
 * {@code partition:P/offset:O}, {@code source} {@code /apis/v1alpha1/namespaces/{ns}/eventsources/{name}#{topic}},
 * {@code type} {@code dev.sluice.kafka.message}, {@code time} the record's timestamp, the record key as the
 * {@code partitionkey} extension, and the value as data (see {@link MessagePayload}).
 */
public final class KafkaRecordMapper {
    public static final String TYPE = "dev.sluice.kafka.message";
    static final String CONTENT_TYPE = "content-type";

    private final URI source;
    private final CloudEventDeserializer cloudEvents = new CloudEventDeserializer();

    /** @param topic the source topic, named in the {@code source} attribute */
    public KafkaRecordMapper(EventKey key, String topic) {
        this.source = CloudEvents.sourceUri(key.namespace(), key.eventSource(), topic);
        this.cloudEvents.configure(Map.of(), false);
    }

    /**
     * @throws IllegalArgumentException for a record that says it is a CloudEvent but is not a valid one
     */
    public CloudEvent toEvent(ConsumerRecord<String, byte[]> record) {
        String contentType = header(record.headers(), CONTENT_TYPE);
        if (record.headers().lastHeader("ce_specversion") != null || isStructured(contentType)) {
            try {
                return cloudEvents.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a valid CloudEvent: " + e.getMessage().split("\n", 2)[0], e);
            }
        }
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId("partition:" + record.partition() + "/offset:" + record.offset())
                .withSource(source)
                .withType(TYPE);
        if (record.timestamp() >= 0) {
            event.withTime(Instant.ofEpochMilli(record.timestamp()).atOffset(ZoneOffset.UTC));
        }
        if (record.key() != null && !record.key().isEmpty()) {
            event.withExtension(CloudEvents.PARTITION_KEY, record.key());
        }
        return new MessagePayload(record.value(), contentType).applyTo(event).build();
    }

    private static boolean isStructured(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/cloudevents+");
    }

    /** Kafka header names are case-sensitive; producers spell {@code content-type} in either case. */
    private static String header(Headers headers, String name) {
        String value = null;
        for (Header header : headers) {
            if (header.key().equalsIgnoreCase(name) && header.value() != null) {
                value = new String(header.value(), StandardCharsets.UTF_8);
            }
        }
        return value;
    }
}
