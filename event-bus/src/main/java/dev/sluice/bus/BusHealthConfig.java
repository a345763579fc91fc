package dev.sluice.bus;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How readiness probes the buses in use, under {@code sluice.health}. */
@ConfigMapping(prefix = "sluice.health")
public interface BusHealthConfig {
    /**
     * How often readiness asks each bus in use whether it answers. Probes run in the background, so a
     * readiness request never waits on a broker.
     */
    @WithDefault("2s")
    Duration busProbeInterval();

    /** How long one probe waits for the bus before it counts as unreachable. */
    @WithDefault("2s")
    Duration busProbeTimeout();
}
