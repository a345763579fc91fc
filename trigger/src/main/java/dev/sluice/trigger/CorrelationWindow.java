package dev.sluice.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.cloudevents.CloudEvent;

/**
 * The events one subscriber holds for correlation in one partition: the latest event of each input, for
 * {@code window} after it arrived. When the condition fires, the subscriber clears it (fire and clear), so
 * {@code a && b} fires once per pair. {@link CorrelationWindows} keeps it across restarts.
 */
final class CorrelationWindow {
    /** OpenFunction holds an input's event for 60 s. */
    static final Duration DEFAULT_LENGTH = Duration.ofSeconds(60);

    /** An event held for an input until {@code expires}. */
    record Held(CloudEvent event, Instant expires) {
    }

    private final Duration length;
    private final Clock clock;
    private final Map<String, Held> held = new HashMap<>();
    /** Changed since it was last saved. */
    private boolean changed;

    CorrelationWindow(Duration length, Clock clock) {
        this(length, clock, Map.of());
    }

    /** A window holding what a previous run of the subscriber held. */
    CorrelationWindow(Duration length, Clock clock, Map<String, Held> restored) {
        this.length = length;
        this.clock = clock;
        this.held.putAll(restored);
    }

    /** Holds {@code event} as the latest of each of {@code inputs}. */
    synchronized void hold(Collection<String> inputs, CloudEvent event) {
        Instant expires = clock.instant().plus(length);
        inputs.forEach(input -> held.put(input, new Held(event, expires)));
        changed |= !inputs.isEmpty();
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
        changed |= !held.isEmpty();
        held.clear();
    }

    /**
     * Hands what the window holds to {@code store} if it changed since the last save. The store is called under the
     * window's lock, so saves of one window reach it in the order of the changes.
     */
    synchronized CompletionStage<Void> saveIfChanged(Function<Map<String, Held>, CompletionStage<Void>> store) {
        if (!changed) {
            return CompletableFuture.completedFuture(null);
        }
        changed = false;
        return store.apply(Map.copyOf(held));
    }
}
