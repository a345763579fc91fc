package dev.sluice.trigger.cel;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cel.common.values.NullValue;
import dev.sluice.cloudevents.CloudEvents;
import io.cloudevents.CloudEvent;

/**
 * A CloudEvent as CEL sees it: a map of its attributes and extensions by their CloudEvents names
 * ({@code id}, {@code source}, {@code type}, {@code subject}, {@code time}, ...) and {@code data}: a map, list or
 * value when the content type is JSON, else the data as a UTF-8 string. Absent attributes are absent keys, so
 * {@code has(event.subject)} works. Numbers are CEL's {@code int} (Java long) or {@code double}.
 */
public final class EventVariables {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventVariables() {
    }

    /** The map bound to {@code event}. */
    public static Map<String, Object> of(CloudEvent event) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("specversion", event.getSpecVersion().toString());
        map.put("id", event.getId());
        map.put("source", event.getSource().toString());
        map.put("type", event.getType());
        putIfPresent(map, "subject", event.getSubject());
        putIfPresent(map, "datacontenttype", event.getDataContentType());
        putIfPresent(map, "dataschema", event.getDataSchema());
        putIfPresent(map, "time", event.getTime());
        for (String name : event.getExtensionNames()) {
            putIfPresent(map, name, event.getExtension(name));
        }
        if (event.getData() != null) {
            map.put("data", data(event.getDataContentType(), CloudEvents.dataBytes(event)));
        }
        return map;
    }

    private static Object data(String contentType, byte[] bytes) {
        if (CloudEvents.isJson(contentType)) {
            try {
                return value(JSON.readTree(bytes));
            } catch (JsonProcessingException e) {
                // JSON in name only: the condition can still look at the text
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putIfPresent(Map<String, Object> map, String name, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Integer i) {
            map.put(name, i.longValue());
        } else if (value instanceof Boolean || value instanceof String) {
            map.put(name, value);
        } else if (value instanceof byte[] bytes) {
            map.put(name, Base64.getEncoder().encodeToString(bytes));
        } else {
            map.put(name, value.toString()); // URIs and times as CloudEvents writes them
        }
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), value(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(value(element)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
