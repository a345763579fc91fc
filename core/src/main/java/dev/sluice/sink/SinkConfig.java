package dev.sluice.sink;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sending to HTTP sinks, under {@code sluice.sink}. */
@ConfigMapping(prefix = "sluice.sink")
public interface SinkConfig {
    /**
     * Most bytes of a sink's response body that are read. A longer answer keeps its status, its body is cut at the
     * cap, the connection is closed, and a reply event in it is ignored. A reply is an event like any other, so the
     * default matches the HTTP source's body limit.
     */
    @WithDefault("1048576")
    int maxResponseBytes();
}
