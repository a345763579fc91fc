package dev.sluice.source.http;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.cloudevents.BinaryEvent;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.source.EventKey;
import dev.sluice.source.IngressException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Turns one HTTP request into CloudEvents: binary mode ({@code ce-*} headers), structured mode
 * ({@code application/cloudevents+json}), batch mode ({@code application/cloudevents-batch+json}) or a
 * plain JSON body, which is wrapped into a new CloudEvent. Anything else is refused with its status.
 */
public class HttpRequestReader {
    static final String BATCH = "application/cloudevents-batch+json";
    static final String STRUCTURED = "application/cloudevents";
    private static final String SPEC_1_0 = "1.0";
    /** The type of the CloudEvent that wraps a plain JSON body. */
    public static final String WRAPPED_TYPE = "dev.sluice.http.request";

    private final ObjectMapper mapper;
    private final int maxBatchEvents;
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    /** @param maxBatchEvents most events one batch may hold; more get 413 */
    public HttpRequestReader(ObjectMapper mapper, int maxBatchEvents) {
        this.mapper = mapper;
        this.maxBatchEvents = maxBatchEvents;
    }

    /**
     * @throws IngressException 400 for a message that is not a valid CloudEvent, 413 for a batch of too many
     *         events, 415 for a body that is neither a CloudEvent nor JSON
     */
    public List<CloudEvent> read(EventKey key, MultiMap headers, Buffer body) {
        String contentType = baseType(headers.get("content-type"));
        if (contentType.equals(BATCH)) {
            return readBatch(body);
        }
        if (headers.contains("ce-specversion") || contentType.startsWith(STRUCTURED)) {
            try {
                if (!contentType.startsWith(STRUCTURED) && SPEC_1_0.equals(headers.get("ce-specversion"))) {
                    return List.of(BinaryEvent.fromHttp(headers, body));
                }
                return List.of(VertxMessageFactory.createReader(headers, body).toEvent());
            } catch (CloudEventRWException | EventDeserializationException | IllegalStateException e) {
                throw new IngressException(400, "not a valid CloudEvent: " + e.getMessage().split("\n", 2)[0]);
            }
        }
        if (CloudEvents.isJson(contentType)) {
            return List.of(wrap(key, body));
        }
        throw new IngressException(415, "unsupported content type '" + contentType
                + "': send a CloudEvent (binary, structured or batch mode) or application/json");
    }

    private List<CloudEvent> readBatch(Buffer body) {
        JsonNode array;
        try {
            array = mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw new IngressException(400, "batch is not JSON: " + e.getMessage().split("\n", 2)[0]);
        }
        if (array == null || !array.isArray()) {
            throw new IngressException(400, "batch must be a JSON array of CloudEvents");
        }
        if (array.size() > maxBatchEvents) {
            throw new IngressException(413, "batch of " + array.size() + " events, over the limit of "
                    + maxBatchEvents + " (sluice.http.max-batch-events)");
        }
        List<CloudEvent> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                events.add(json.deserialize(mapper.writeValueAsBytes(array.get(i))));
            } catch (IOException | RuntimeException e) {
                throw new IngressException(400, "batch[" + i + "] is not a valid CloudEvent: " + e.getMessage());
            }
        }
        return events;
    }

    private CloudEvent wrap(EventKey key, Buffer body) {
        byte[] bytes = body.getBytes();
        checkJson(bytes);
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(URI.create(CloudEvents.sourceOf(key.namespace(), key.eventSource(), key.event())))
                .withType(WRAPPED_TYPE)
                .withDataContentType("application/json")
                .withData(bytes)
                .build();
    }

    /** Reads through the body without building a tree: a wrapped body must be JSON. */
    private void checkJson(byte[] bytes) {
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw new IngressException(400, "empty body: send JSON or a CloudEvent");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IngressException(400, "body is not one JSON value");
            }
        } catch (IOException e) {
            throw new IngressException(400, "body is not JSON: " + e.getMessage().split("\n", 2)[0]);
        }
    }

    private static String baseType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}
