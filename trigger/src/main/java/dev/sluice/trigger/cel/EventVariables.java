package dev.sluice.trigger.cel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>
 * Nothing is built before a condition reads it: the attributes on the first read of one, the data on the first read
 * of {@code data}. A condition that selects fields of the data ({@code event.data.amount}) has only those fields
 * read out of it ({@link #data(Set)}); one that takes the data as a whole has all of it parsed, once. JSON data that
 * does not parse is the data as text, whichever way it is read, so a condition gives the same outcome either way.
 * Built once per event and shared by every condition that evaluates it, from any thread.
 */
public final class EventVariables extends AbstractMap<String, Object> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String DATA = "data";

    /** The fields of the data a condition read last, and what they were. */
    private record Fields(Set<String> names, Object value) {
    }

    private final CloudEvent event;
    private volatile Map<String, Object> attributes;
    private volatile Object data;
    private volatile Fields fields;

    private EventVariables(CloudEvent event) {
        this.event = event;
    }

    /** The map bound to {@code event}; builds nothing yet. */
    public static EventVariables of(CloudEvent event) {
        return new EventVariables(event);
    }

    @Override
    public Object get(Object key) {
        if (DATA.equals(key)) {
            return event.getData() == null ? null : data();
        }
        return attributes().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return DATA.equals(key) ? event.getData() != null : attributes().containsKey(key);
    }

    /** Never empty: every CloudEvent has an id, a source, a type and a spec version. */
    @Override
    public boolean isEmpty() {
        return false;
    }

    /** The whole map, data parsed: only for a condition that takes {@code event} as a whole. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> all = new LinkedHashMap<>(attributes());
        if (event.getData() != null) {
            all.put(DATA, data());
        }
        return all.entrySet();
    }

    /**
     * The data as far as a condition that selects only {@code names} out of it needs: a map of those of its
     * top-level fields that are present, read in one pass over the JSON that skips over all others (and still
     * checks that the whole value is JSON). Anything else, the data as {@link #get} gives it: text that is not
     * JSON, a JSON value that is no object. Null when the event has no data.
     */
    public Object data(Set<String> names) {
        if (event.getData() == null) {
            return null;
        }
        Fields read = fields;
        if (read != null && read.names().equals(names)) {
            return read.value();
        }
        if (data != null || !CloudEvents.isJson(event.getDataContentType())) {
            return data();
        }
        byte[] bytes = CloudEvents.dataBytes(event);
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return data();
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (names.contains(name)) {
                    map.put(name, value(parser, token));
                } else {
                    parser.skipChildren();
                }
            }
            fields = new Fields(names, map);
            return map;
        } catch (JsonProcessingException e) {
            return data(); // JSON in name only: the data is its text, as a whole
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object data() {
        Object parsed = data;
        if (parsed == null) {
            parsed = parse(event.getDataContentType(), CloudEvents.dataBytes(event));
            data = parsed;
        }
        return parsed;
    }

    private Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            map = new LinkedHashMap<>();
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
            attributes = map;
        }
        return map;
    }

    private static Object parse(String contentType, byte[] bytes) {
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
