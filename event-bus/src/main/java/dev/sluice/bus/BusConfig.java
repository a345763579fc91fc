package dev.sluice.bus;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Publishing to a bus, under {@code sluice.bus}. */
@ConfigMapping(prefix = "sluice.bus")
public interface BusConfig {
    /** How long a publish may wait for the bus's acknowledgement before the HTTP source answers 503. */
    @WithDefault("10s")
    Duration publishTimeout();

    /**
     * Largest record the bus carries: an event's data plus its attributes and headers. The Kafka producer's
     * {@code max.request.size} and the {@code max.message.bytes} of the topics Sluice creates follow it. The default,
     * 1 MiB + 64 KiB, carries a body at the HTTP source's 1 MiB limit with its attributes, which the HTTP source
     * bounds by {@code quarkus.http.limits.max-header-size} (binary mode) or the body limit (structured mode). The
     * event-source does not start with a body limit that does not fit under it.
     */
    @WithDefault("1114112")
    int maxRecordBytes();
}
