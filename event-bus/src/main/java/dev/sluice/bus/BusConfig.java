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
}
