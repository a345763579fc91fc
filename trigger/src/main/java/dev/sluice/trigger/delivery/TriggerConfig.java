package dev.sluice.trigger.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The trigger service, under {@code sluice.trigger}. */
@ConfigMapping(prefix = "sluice.trigger")
public interface TriggerConfig {
    /**
     * Loop protection: the most Trigger deliveries one event may go through ({@code sluicehops}). An event that
     * arrives having made this many is not delivered again but dead-lettered with code 508 (Loop Detected), or
     * dropped and logged when its subscriber has no dead letter.
     */
    @WithDefault("32")
    int maxHops();

    /** Subscribers' CEL conditions, and the conditions of replays and redrives. */
    Cel cel();

    interface Cel {
        /**
         * The most comprehension iterations ({@code all}, {@code exists}, {@code exists_one}, {@code map},
         * {@code filter}) one evaluation of a condition may run, nested ones counted together. Over it, the
         * condition counts as an evaluation error for that event. It bounds work, not memory: docs/security.md.
         */
        @WithDefault("10000")
        int maxIterations();
    }
}
