package dev.sluice.bus;

import io.cloudevents.CloudEvent;

/**
 * An event as it was read from the bus, with where it was read: events of one {@code partition} of a
 * topic are in the order they were published.
 */
public record BusEvent(String topic, int partition, long offset, CloudEvent event) {

    /** Names the ordered stream the event belongs to, for per-partition ordering. */
    public String stream() {
        return topic + "/" + partition;
    }
}
