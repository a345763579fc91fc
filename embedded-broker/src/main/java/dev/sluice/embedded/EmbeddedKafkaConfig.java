package dev.sluice.embedded;

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
}
