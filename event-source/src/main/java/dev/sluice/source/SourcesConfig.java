package dev.sluice.source;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The broker-fed sources (kafka, mqtt, redis) and the cron source, under {@code sluice.sources}. */
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

    Cron cron();

    /** The cron source. */
    interface Cron {
        /**
         * What a cron event does with the ticks that fell while it could not fire (Sluice stopped, or the bus
         * refused the previous tick): {@code fire-once} sends the latest of them once, {@code skip} sends none.
         * Either way every tick not sent is logged and counted as {@code skipped}, never silently lost.
         */
        @WithDefault("fire-once")
        MissedTicks missedTicks();

        /** Folder below {@code sluice.data.dir} holding each cron event's last fired tick. */
        @WithDefault("cron")
        String stateDir();
    }

    enum MissedTicks {
        FIRE_ONCE,
        SKIP
    }
}
