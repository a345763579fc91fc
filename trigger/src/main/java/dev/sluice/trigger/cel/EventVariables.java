package dev.sluice.trigger.cel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

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
    private static final JsonFactory JSON = new JsonFactory();

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
            try (JsonParser parser = JSON.createParser(bytes)) {
                return value(parser, parser.nextToken());
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

    /**
     * The JSON value that starts at {@code token}, read straight into maps, lists and values: no tree of nodes to
     * build and then copy. Only the first value counts, as for Jackson's {@code readTree}; no value is null.
     */
    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            return NullValue.NULL_VALUE;
        }
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> parser.getText();
            // beyond a long, CEL's int cannot hold it
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) parser.getDoubleValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> NullValue.NULL_VALUE;
            default -> throw new JsonParseException(parser, "unexpected " + token);
        };
    }

    private static Map<String, Object> object(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            map.put(name, value(parser, parser.nextToken()));
        }
        return map;
    }

    private static List<Object> array(JsonParser parser) throws IOException {
        List<Object> list = new ArrayList<>();
        for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
            list.add(value(parser, element));
        }
        return list;
    }
}
