package dev.sluice.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.cloudevents.CloudEvent;

/**
 * The events one subscriber holds for correlation: the latest event of each input, for {@code window} after it
 * arrived. When the condition fires, the subscriber clears it (fire and clear), so {@code a && b} fires once per
 * pair. Held events live in memory: a restart or a new generation of the Trigger starts with an empty window.
 */
final class CorrelationWindow {
    /** OpenFunction holds an input's event for 60 s. */
    static final Duration DEFAULT_LENGTH = Duration.ofSeconds(60);

    private record Held(CloudEvent event, Instant expires) {
    }

    private final Duration length;
    private final Clock clock;
    private final Map<String, Held> held = new HashMap<>();

    CorrelationWindow(Duration length, Clock clock) {
        this.length = length;
        this.clock = clock;
    }

    /** Holds {@code event} as the latest of each of {@code inputs}. */
    synchronized void hold(Collection<String> inputs, CloudEvent event) {
        Instant expires = clock.instant().plus(length);
        inputs.forEach(input -> held.put(input, new Held(event, expires)));
    }

    /** The latest event of each input that has one in the window. */
    synchronized Map<String, CloudEvent> current() {
        Instant now = clock.instant();
        held.values().removeIf(h -> !h.expires().isAfter(now));
        Map<String, CloudEvent> events = new HashMap<>();
        held.forEach((input, h) -> events.put(input, h.event()));
        return events;
    }

    synchronized void clear() {
        held.clear();
    }
}
