package dev.sluice.embedded;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The embedded broker, under {@code sluice.embedded-kafka}; its log lives under {@code sluice.data.dir}. */
@ConfigMapping(prefix = "sluice.embedded-kafka")
public interface EmbeddedKafkaConfig {

    /** Start a single-node KRaft broker in this JVM; the local mode's {@code default} bus. */
    @WithDefault("false")
    boolean enabled();

    /** Port of its PLAINTEXT listener; 0 picks a free one. */
    @WithDefault("9092")
    int port();

    /** Partitions of the topics it auto-creates. */
    @WithDefault("1")
    int partitions();

    /**
     * Below this much free space on the log's disk the broker refuses writes (the ingress answers 507), before
     * Kafka would halt the JVM on a failed write; writes resume once space is freed.
     */
    @WithDefault("256M")
    MemorySize minFreeDisk();

    /**
     * Write every message to disk ({@code fsync}) before acknowledging it: {@code log.flush.interval.messages=1}.
     * Off by default, as in Kafka, which leaves flushing to the operating system: an acknowledged event then
     * survives a crash of the process but not a power loss. On costs throughput; see docs/local-mode.md.
     */
    @WithDefault("false")
    boolean fsync();
}
