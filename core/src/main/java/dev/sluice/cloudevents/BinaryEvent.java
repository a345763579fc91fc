package dev.sluice.cloudevents;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.rw.CloudEventContextReader;
import io.cloudevents.rw.CloudEventContextWriter;
import io.cloudevents.rw.CloudEventDataMapper;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventReader;
import io.cloudevents.rw.CloudEventWriter;
import io.cloudevents.rw.CloudEventWriterFactory;
import io.cloudevents.types.Time;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A CloudEvents 1.0 event in binary mode as it travels: each attribute as the text of its header, the data as the
 * bytes of the body or record. It goes from HTTP {@code ce-*} headers to Kafka {@code ce_*} headers and back
 * without a builder, a typed copy of each attribute or a copy of the data in between: the SDK's writers
 * ({@code CloudEventSerializer}, the HTTP sink's request) read it as a {@link CloudEventReader}, which hands them
 * the same texts. Made by {@link #fromHttp} or {@link Headers#toEvent}, which check what the SDK's readers check: the required
 * attributes, {@code source} and {@code dataschema} URI references, {@code time} an RFC 3339 timestamp, extension
 * names of lower-case letters and digits. The parsed {@code source} and {@code time} are kept for the getters.
 * Immutable.
 */
public final class BinaryEvent implements CloudEvent, CloudEventReader, CloudEventContextReader {
    private static final String[] ATTRIBUTES = { "specversion", "id", "source", "type", "datacontenttype",
            "dataschema", "subject", "time" };
    private final String id;
    private final String source;
    private final String type;
    private final String dataContentType;
    private final String dataSchema;
    private final String subject;
    private final String time;
    private final Map<String, String> extensions;
    private final CloudEventData data;
    private final URI sourceUri;
    private final URI dataSchemaUri;
    private final OffsetDateTime parsedTime;

    private BinaryEvent(Map<String, String> attributes, Map<String, String> extensions, CloudEventData data) {
        this.id = required(attributes, "id");
        this.source = required(attributes, "source");
        this.type = required(attributes, "type");
        this.dataContentType = attributes.get("datacontenttype");
        this.dataSchema = attributes.get("dataschema");
        this.subject = attributes.get("subject");
        this.time = attributes.get("time");
        this.extensions = extensions;
        this.data = data;
        this.sourceUri = uri("source", source);
        this.dataSchemaUri = dataSchema == null ? null : uri("dataschema", dataSchema);
        this.parsedTime = time == null ? null : Time.parseTime("time", time);
    }

    private BinaryEvent(BinaryEvent event, Map<String, String> extensions) {
        this.id = event.id;
        this.source = event.source;
        this.type = event.type;
        this.dataContentType = event.dataContentType;
        this.dataSchema = event.dataSchema;
        this.subject = event.subject;
        this.time = event.time;
        this.extensions = extensions;
        this.data = event.data;
        this.sourceUri = event.sourceUri;
        this.dataSchemaUri = event.dataSchemaUri;
        this.parsedTime = event.parsedTime;
    }

    /**
     * Collects one event's attributes from its headers, by their CloudEvents names (the caller strips the
     * {@code ce-} or {@code ce_} prefix and maps {@code content-type} to {@code datacontenttype}).
     */
    public static final class Headers {
        private final Map<String, String> attributes = new LinkedHashMap<>(8);
        private Map<String, String> extensions = Map.of();

        /** A later header of the same name wins, as with the SDK's readers. */
        public Headers put(String name, String value) {
            String lower = lowerCase(name);
            if (SpecVersion.V1.getMandatoryAttributes().contains(lower)
                    || SpecVersion.V1.getOptionalAttributes().contains(lower)) {
                attributes.put(lower, value);
            } else {
                if (!isExtensionName(lower)) {
                    throw CloudEventRWException.newInvalidExtensionName(lower);
                }
                if (extensions.isEmpty()) {
                    extensions = new LinkedHashMap<>(4);
                }
                extensions.put(lower, value);
            }
            return this;
        }

        /**
         * @param data the body or record value; null or empty when the event has no data
         * @throws CloudEventRWException or {@link IllegalStateException} when the attributes make no valid event
         */
        public BinaryEvent toEvent(byte[] data) {
            attributes.remove("specversion");
            return new BinaryEvent(attributes, extensions,
                    data == null || data.length == 0 ? null : BytesCloudEventData.wrap(data));
        }
    }

    /**
     * Binary mode 1.0 straight from an HTTP request's {@code ce-*} headers and {@code content-type}: each attribute
     * kept as the text it came as, the body copied once out of the request's buffer.
     * @throws CloudEventRWException or {@link IllegalStateException} when the headers make no valid event
     */
    public static BinaryEvent fromHttp(MultiMap headers, Buffer body) {
        Headers attributes = new Headers();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (name.length() > 3 && name.regionMatches(true, 0, "ce-", 0, 3)) {
                attributes.put(name.substring(3), header.getValue());
            } else if (name.equalsIgnoreCase("content-type")) {
                attributes.put("datacontenttype", header.getValue());
            }
        }
        return attributes.toEvent(body == null ? null : body.getBytes());
    }

    /** The same event with one extension set: what a delivery adds ({@code sluicehops}) without a copy of the rest. */
    public BinaryEvent withExtension(String name, String value) {
        return withExtensions(Map.of(name, value));
    }

    /** The same event with these extensions set (names of lower-case letters and digits) and the rest shared. */
    public BinaryEvent withExtensions(Map<String, String> added) {
        Map<String, String> more = new LinkedHashMap<>(extensions);
        more.putAll(added);
        return new BinaryEvent(this, more);
    }

    /**
     * Asks {@code check} about each attribute and extension, as the text it travels as, until one answers.
     * @return the first answer, or empty
     */
    public <T> Optional<T> firstOfTexts(BiFunction<String, String, Optional<T>> check) {
        String[] values = { SpecVersion.V1.toString(), id, source, type, dataContentType, dataSchema, subject, time };
        for (int i = 0; i < values.length; i++) {
            Optional<T> answer = values[i] == null ? Optional.empty() : check.apply(ATTRIBUTES[i], values[i]);
            if (answer.isPresent()) {
                return answer;
            }
        }
        for (Map.Entry<String, String> extension : extensions.entrySet()) {
            Optional<T> answer = check.apply(extension.getKey(), extension.getValue());
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    @Override
    public void readContext(CloudEventContextWriter writer) throws CloudEventRWException {
        // the order of the SDK's own adapter
        writer.withContextAttribute("id", id);
        writer.withContextAttribute("source", source);
        writer.withContextAttribute("type", type);
        writeIfPresent(writer, "datacontenttype", dataContentType);
        writeIfPresent(writer, "dataschema", dataSchema);
        writeIfPresent(writer, "subject", subject);
        writeIfPresent(writer, "time", time);
        for (Map.Entry<String, String> extension : extensions.entrySet()) {
            writer.withContextAttribute(extension.getKey(), extension.getValue());
        }
    }

    @Override
    public <W extends CloudEventWriter<R>, R> R read(CloudEventWriterFactory<W, R> writerFactory,
            CloudEventDataMapper<? extends CloudEventData> mapper) throws CloudEventRWException {
        W writer = writerFactory.create(SpecVersion.V1);
        readContext(writer);
        if (data == null) {
            return writer.end();
        }
        return writer.end(mapper == null ? data : mapper.map(data));
    }

    @Override
    public CloudEventData getData() {
        return data;
    }

    @Override
    public SpecVersion getSpecVersion() {
        return SpecVersion.V1;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getType() {
        return type;
    }

    @Override
    public URI getSource() {
        return sourceUri;
    }

    @Override
    public String getDataContentType() {
        return dataContentType;
    }

    @Override
    public URI getDataSchema() {
        return dataSchemaUri;
    }

    @Override
    public String getSubject() {
        return subject;
    }

    @Override
    public OffsetDateTime getTime() {
        return parsedTime;
    }

    @Override
    public Object getAttribute(String name) {
        return switch (name) {
            case "specversion" -> SpecVersion.V1;
            case "id" -> id;
            case "source" -> sourceUri;
            case "type" -> type;
            case "datacontenttype" -> dataContentType;
            case "dataschema" -> dataSchemaUri;
            case "subject" -> subject;
            case "time" -> parsedTime;
            default -> throw CloudEventRWException.newInvalidAttributeName(name);
        };
    }

    @Override
    public Object getExtension(String name) {
        return extensions.get(name);
    }

    @Override
    public Set<String> getExtensionNames() {
        return Collections.unmodifiableSet(extensions.keySet());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BinaryEvent that && id.equals(that.id) && source.equals(that.source)
                && type.equals(that.type) && Objects.equals(dataContentType, that.dataContentType)
                && Objects.equals(dataSchema, that.dataSchema) && Objects.equals(subject, that.subject)
                && Objects.equals(time, that.time) && extensions.equals(that.extensions)
                && Arrays.equals(data == null ? null : data.toBytes(), that.data == null ? null : that.data.toBytes());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, source, type, subject, time, extensions);
    }

    @Override
    public String toString() {
        return "BinaryEvent{id='" + id + "', source=" + source + ", type='" + type + "'"
                + (dataContentType == null ? "" : ", datacontenttype='" + dataContentType + "'")
                + (subject == null ? "" : ", subject='" + subject + "'") + (time == null ? "" : ", time=" + time)
                + (extensions.isEmpty() ? "" : ", extensions=" + extensions)
                + (data == null ? "" : ", data=" + data.toBytes().length + " bytes") + "}";
    }

    private static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null) {
            throw new IllegalStateException("Attribute '" + name + "' cannot be null");
        }
        return value;
    }

    private static URI uri(String name, String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw CloudEventRWException.newInvalidAttributeValue(name, value, e);
        }
    }

    /** CloudEvents 1.0: extension names are lower-case ASCII letters and digits. */
    private static boolean isExtensionName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Header names are ASCII; most come lower-case already. */
    private static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }

    private static void writeIfPresent(CloudEventContextWriter writer, String name, String value) {
        if (value != null) {
            writer.withContextAttribute(name, value);
        }
    }
}
