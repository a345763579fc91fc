package dev.sluice.cloudevents;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;

/** Small facts about CloudEvents that the bus, the sources and the trigger agree on. */
public final class CloudEvents {
    /** The extension whose value keys an event on the bus (CloudEvents' partitioning extension). */
    public static final String PARTITION_KEY = "partitionkey";
    public static final String ERROR_CODE = "sluiceerrorcode";
    public static final String ERROR_DEST = "sluiceerrordest";
    public static final String ERROR_DATA = "sluiceerrordata";
    /**
     * How many Trigger deliveries an event has been through, as Knative's {@code knativebrokerttl} counts down:
     * carried on the bus, in the ce- headers to a sink and on to its replies, so that an event fed back into its
     * own input stops after {@code sluice.trigger.max-hops}.
     */
    public static final String HOPS = "sluicehops";

    private CloudEvents() {
    }

    /** The record key on the bus: the {@code partitionkey} extension if present, else the subject, else none. */
    public static String key(CloudEvent event) {
        Object partitionKey = event.getExtension(PARTITION_KEY);
        if (partitionKey != null) {
            return partitionKey.toString();
        }
        return event.getSubject();
    }

    /** The event's data as bytes, empty when it has none. */
    public static byte[] dataBytes(CloudEvent event) {
        CloudEventData data = event.getData();
        return data == null ? new byte[0] : data.toBytes();
    }

    /** True when the content type names JSON ({@code application/json}, {@code text/json}, {@code +json}). */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        // read in place: asked once per event and condition, it allocates nothing
        int end = contentType.indexOf(';');
        end = end < 0 ? contentType.length() : end;
        int start = 0;
        while (start < end && contentType.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && contentType.charAt(end - 1) <= ' ') {
            end--;
        }
        return is(contentType, start, end, "application/json") || is(contentType, start, end, "text/json")
                || end - start >= 5 && contentType.regionMatches(true, end - 5, "+json", 0, 5);
    }

    private static boolean is(String text, int start, int end, String expected) {
        return end - start == expected.length() && text.regionMatches(true, start, expected, 0, expected.length());
    }

    /** The source attribute Sluice gives events it creates for an event source's event. */
    public static String sourceOf(String namespace, String eventSource, String fragment) {
        return "/apis/v1alpha1/namespaces/" + namespace + "/eventsources/" + eventSource + "#" + fragment;
    }

    /**
     * {@link #sourceOf} as a URI, with the fragment escaped where it needs to be (an MQTT filter such as
     * {@code sensors/#} is no valid fragment as it is).
     */
    public static URI sourceUri(String namespace, String eventSource, String fragment) {
        try {
            return new URI(null, null, "/apis/v1alpha1/namespaces/" + namespace + "/eventsources/" + eventSource,
                    fragment);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Attributes and extensions, for logs. */
    public static String describe(CloudEvent event) {
        return Map.of("id", event.getId(), "source", event.getSource().toString(), "type", event.getType()).toString();
    }
}
