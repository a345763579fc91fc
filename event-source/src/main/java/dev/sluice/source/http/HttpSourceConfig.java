package dev.sluice.source.http;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The HTTP source, under {@code sluice.http}. */
@ConfigMapping(prefix = "sluice.http")
public interface HttpSourceConfig {
    /** Largest body the HTTP source accepts; larger ones get 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** What a 503 answer's {@code Retry-After} header asks the sender to wait before trying again. */
    @WithDefault("1s")
    Duration retryAfter();
}
