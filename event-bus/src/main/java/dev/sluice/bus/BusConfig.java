package dev.sluice.bus;

import java.time.Duration;
import java.util.Map;

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

    /** Kafka client settings of the Kafka bus, over Sluice's own. */
    Kafka kafka();

    /**
     * Kafka's own settings by Kafka's names, for example {@code sluice.bus.kafka.producer."linger.ms"=5}. They apply
     * over Sluice's defaults (see {@code docs/benchmarks.md}, "Producer and consumer settings"), except what the
     * bus's guarantees rest on: the producer stays idempotent with {@code acks=all}, a consumer commits only what
     * its Trigger finished.
     */
    interface Kafka {
        /** The bus producer's settings, e.g. {@code linger.ms}, {@code batch.size}, {@code compression.type}. */
        Map<String, String> producer();

        /** Every bus consumer's settings, e.g. {@code fetch.min.bytes}, {@code fetch.max.wait.ms}. */
        Map<String, String> consumer();
    }
}
