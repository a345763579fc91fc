package dev.sluice.sink;

import java.util.Optional;

/**
 * The resource a sink delivers for, as far as a sink type needs to know it.
 *
 * @param namespace the resource's namespace: a sink that publishes finds its bus there
 * @param name the resource's name
 * @param eventBus the bus the resource names, when it has one; a sink type that publishes to a topic needs it
 */
public record SinkOwner(String namespace, String name, Optional<String> eventBus) {

    /** A resource that names no bus, such as an EventSource that sends straight to its sink. */
    public static SinkOwner withoutBus(String namespace, String name) {
        return new SinkOwner(namespace, name, Optional.empty());
    }
}
