package dev.sluice.source;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Kafka and MQTT sources, under {@code sluice.sources}. */
@ConfigMapping(prefix = "sluice.sources")
public interface SourcesConfig {
    /**
     * Largest message a Kafka event (without its own maxMessageBytes) or an MQTT event accepts; a larger one
     * is refused, counted and acknowledged, so it never blocks the messages behind it.
     */
    @WithDefault("1048576")
    int maxMessageBytes();

    /**
     * Largest value of one CloudEvent attribute or extension, in UTF-8 bytes, from any source: a longer one is
     * refused (HTTP 400), as is a value holding a control character.
     */
    @WithDefault("4096")
    int maxAttributeBytes();

    /** Wait before publishing a message again after the bus failed it; doubled on each failure. */
    @WithDefault("200ms")
    Duration retryInitialBackoff();

    /** Cap of that wait: a message is retried at least this often until the bus takes it. */
    @WithDefault("10s")
    Duration retryMaxBackoff();

    /**
     * A name unique to this replica and stable across its restarts (a StatefulSet pod name), appended to MQTT
     * client ids so that replicas can share a subscription without taking over each other's session.
     */
    Optional<String> instanceId();
}
