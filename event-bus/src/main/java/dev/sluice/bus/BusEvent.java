package dev.sluice.bus;

import java.time.Instant;
import java.util.Optional;

import io.cloudevents.CloudEvent;

/**
 * An event as it was read from the bus, with where it was read: events of one {@code partition} of a
 * topic are in the order they were published. {@code timestamp} is when the bus took it, where the bus says.
 */
public record BusEvent(String topic, int partition, long offset, CloudEvent event, Optional<Instant> timestamp) {

    /** An event whose bus gave no time of publication. */
    public BusEvent(String topic, int partition, long offset, CloudEvent event) {
        this(topic, partition, offset, event, Optional.empty());
    }

    /** Names the ordered stream the event belongs to, for per-partition ordering. */
    public String stream() {
        return topic + "/" + partition;
    }
}
