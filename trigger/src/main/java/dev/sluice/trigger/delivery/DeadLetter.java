package dev.sluice.trigger.delivery;

import java.nio.charset.StandardCharsets;

import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.sink.SinkResponse;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * The event sent to a dead letter: the original, attributes and data unchanged, plus why it could not be
 * delivered, in Knative's extensions under Sluice's names.
 */
public final class DeadLetter {
    /** Most bytes of the sink's response kept in {@code sluiceerrordata}. */
    public static final int MAX_ERROR_DATA_BYTES = 1024;

    private DeadLetter() {
    }

    /**
     * @param last the last answer of the destination
     * @param destination the URI or topic the event did not reach
     */
    public static CloudEvent of(CloudEvent original, SinkResponse last, String destination) {
        String body = last.body().isEmpty() ? last.failure().orElse("") : last.body();
        return CloudEventBuilder.from(original)
                .withExtension(CloudEvents.ERROR_CODE, last.status())
                .withExtension(CloudEvents.ERROR_DEST, destination)
                .withExtension(CloudEvents.ERROR_DATA, truncated(body))
                .build();
    }

    /** At most {@link #MAX_ERROR_DATA_BYTES} bytes of UTF-8, never cutting a character in two. */
    static String truncated(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ERROR_DATA_BYTES) {
            return text;
        }
        int end = MAX_ERROR_DATA_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // bytes[end] continues a character that starts before it
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
