package dev.sluice.bus;

/** Topic names on the bus, as OpenFunction names them. */
public final class Topics {
    private Topics() {
    }

    /** {@code {namespace}-{eventsource}-{event}}: the topic an event source publishes one event to. */
    public static String of(String namespace, String eventSource, String event) {
        return namespace + "-" + eventSource + "-" + event;
    }
}
