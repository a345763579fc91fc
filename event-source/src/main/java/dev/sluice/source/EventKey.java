package dev.sluice.source;

import dev.sluice.bus.BusNames;

/** One event of one EventSource: what an adapter serves and what a bus topic carries. */
public record EventKey(String namespace, String eventSource, String event) {

    /**
     * The bus topic of this event.
     *
     * @throws dev.sluice.api.InvalidSpecException {@code NameNotMappable}, naming {@code field}
     */
    public String topic(String field) {
        return BusNames.topic(namespace, eventSource, event, field);
    }

    /** The bus topic of an event already checked with {@link #topic(String)}. */
    public String topic() {
        return BusNames.topic(namespace, eventSource, event);
    }

    @Override
    public String toString() {
        return namespace + "/" + eventSource + "/" + event;
    }
}
