package dev.sluice.local;

import java.util.Optional;

/**
 * A Kafka broker that runs inside this process: the local mode's {@code default} bus, and the component tests'
 * broker. The cluster services have none; the {@code sluice-embedded-broker} module provides the one there is.
 */
public interface LocalKafkaBroker {

    /** The broker's address, while it runs; empty where none runs in this process. */
    Optional<String> bootstrapServers();

    /**
     * Why the broker refuses writes now, for example because its log's disk is nearly full; empty while it takes
     * them. Cheap enough to ask on every publish.
     */
    default Optional<String> writesRefused() {
        return Optional.empty();
    }
}
