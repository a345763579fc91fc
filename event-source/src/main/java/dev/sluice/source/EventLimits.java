package dev.sluice.source;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.cloudevents.BinaryEvent;
import io.cloudevents.CloudEvent;

/**
 * What every event must keep to before it goes on the bus, whichever source took it in: no attribute or extension
 * value over {@code sluice.sources.max-attribute-bytes}, and no control character (CR, LF, NUL...) in one. An event
 * that breaks them would be taken and then fail every delivery, since HTTP headers cannot carry them: it is refused
 * at the door instead (400 on HTTP; refused, counted and acknowledged from Kafka and MQTT).
 */
@ApplicationScoped
public class EventLimits {
    @Inject
    SourcesConfig config;

    /** Why the event may not pass, naming the attribute and the limit; empty when it may. */
    public Optional<String> violation(CloudEvent event) {
        int max = config.maxAttributeBytes();
        if (event instanceof BinaryEvent binary) {
            // the texts that travel on, as they came: no time or URI written out again to be measured
            return binary.firstOfTexts((name, text) -> check(name, text, max));
        }
        for (String name : event.getAttributeNames()) {
            Optional<String> wrong = check(name, event.getAttribute(name), max);
            if (wrong.isPresent()) {
                return wrong;
            }
        }
        for (String name : event.getExtensionNames()) {
            Optional<String> wrong = check(name, event.getExtension(name), max);
            if (wrong.isPresent()) {
                return wrong;
            }
        }
        return Optional.empty();
    }

    static Optional<String> check(String name, Object value, int maxBytes) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof byte[] bytes) {
            return bytes.length > maxBytes ? Optional.of(tooLong(name, bytes.length, maxBytes)) : Optional.empty();
        }
        String text = value.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("attribute '" + name + "' holds a control character (U+"
                        + String.format("%04X", (int) c) + ") at " + i);
            }
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return bytes > maxBytes ? Optional.of(tooLong(name, bytes, maxBytes)) : Optional.empty();
    }

    private static String tooLong(String name, int bytes, int max) {
        return "attribute '" + name + "' is " + bytes + " bytes, over the limit of " + max
                + " (sluice.sources.max-attribute-bytes)";
    }
}
