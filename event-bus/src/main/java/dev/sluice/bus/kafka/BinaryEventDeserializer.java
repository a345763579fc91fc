package dev.sluice.bus.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import dev.sluice.cloudevents.BinaryEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;

/**
 * A bus record back into its CloudEvent. Binary mode 1.0, which is how the bus writes every event, becomes a
 * {@link BinaryEvent} straight from the {@code ce_*} headers: the attribute texts as they are, the record's value
 * as the data, nothing built that the trigger does not read. Anything else (structured mode, spec 0.3) goes to the
 * SDK's {@link CloudEventDeserializer}. Either way a record that is no valid CloudEvent throws.
 */
public final class BinaryEventDeserializer implements Deserializer<CloudEvent> {
    private static final String PREFIX = "ce_";
    private static final byte[] SPEC_1_0 = "1.0".getBytes(StandardCharsets.UTF_8);

    private final CloudEventDeserializer others = new CloudEventDeserializer();

    public BinaryEventDeserializer() {
        others.configure(Map.of(), false);
    }

    @Override
    public CloudEvent deserialize(String topic, byte[] data) {
        throw new UnsupportedOperationException("a CloudEvent record needs its headers");
    }

    @Override
    public CloudEvent deserialize(String topic, Headers headers, byte[] data) {
        Header version = headers.lastHeader("ce_specversion");
        if (version == null || !java.util.Arrays.equals(version.value(), SPEC_1_0)) {
            return others.deserialize(topic, headers, data);
        }
        BinaryEvent.Headers attributes = new BinaryEvent.Headers();
        for (Header header : headers) {
            String key = header.key();
            if (key.length() > PREFIX.length() && key.startsWith(PREFIX)) {
                attributes.put(key.substring(PREFIX.length()), text(header));
            } else if (key.equalsIgnoreCase("content-type")) {
                attributes.put("datacontenttype", text(header));
            }
        }
        return attributes.toEvent(data);
    }

    private static String text(Header header) {
        return header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
