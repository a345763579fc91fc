package dev.sluice.source.http;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The HTTP source, under {@code sluice.http}. */
@ConfigMapping(prefix = "sluice.http")
public interface HttpSourceConfig {
    /**
     * Largest body the HTTP source accepts; a body of exactly this size is taken, a larger one gets 413. With its
     * headers it must fit in {@code sluice.bus.max-record-bytes}, or the event-source does not start.
     */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** Most events in one batch-mode request; more get 413. */
    @WithDefault("1000")
    int maxBatchEvents();

    /**
     * Most ingestion requests this service serves at once; one more gets 429 with {@code Retry-After}, before its
     * body is read, so that the bodies held in memory stay below this times {@code max-body-bytes}.
     */
    @WithDefault("256")
    int maxConcurrentRequests();

    /** What a 503 answer's {@code Retry-After} header asks the sender to wait before trying again. */
    @WithDefault("1s")
    Duration retryAfter();
}
