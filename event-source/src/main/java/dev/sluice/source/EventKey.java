package dev.sluice.source;

import dev.sluice.bus.Topics;

/** One event of one EventSource: what an adapter serves and what a bus topic carries. */
public record EventKey(String namespace, String eventSource, String event) {

    /** The bus topic of this event. */
    public String topic() {
        return Topics.of(namespace, eventSource, event);
    }

    @Override
    public String toString() {
        return namespace + "/" + eventSource + "/" + event;
    }
}
