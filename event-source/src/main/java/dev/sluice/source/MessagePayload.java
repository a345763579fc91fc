package dev.sluice.source;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * The payload of a message that is not a CloudEvent, and the rule that makes it the data of a new one: the
 * content type the message declares; else {@code application/json} when the payload is one JSON value; else
 * {@code application/octet-stream}. An empty payload makes an event without data.
 *
 * @param declaredContentType the message's own content type (a Kafka {@code content-type} header, an MQTT 5
 *        content type), or null
 */
public record MessagePayload(byte[] bytes, String declaredContentType) {
    private static final JsonFactory JSON = new JsonFactory();

    public MessagePayload {
        bytes = bytes == null ? new byte[0] : bytes;
    }

    /** The event's {@code datacontenttype}; null for an empty payload. */
    public String contentType() {
        if (bytes.length == 0) {
            return null;
        }
        if (declaredContentType != null && !declaredContentType.isBlank()) {
            return declaredContentType;
        }
        return isJson(bytes) ? "application/json" : "application/octet-stream";
    }

    /** Sets the data and its content type on a new event. */
    public CloudEventBuilder applyTo(CloudEventBuilder builder) {
        String contentType = contentType();
        return contentType == null ? builder : builder.withDataContentType(contentType).withData(bytes);
    }

    /** One JSON value and nothing after it; read as tokens, without building a tree. */
    static boolean isJson(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
