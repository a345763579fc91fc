package dev.sluice.source;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code sluice.source.received} for the sources that read from a broker (kafka, mqtt): one count per message
 * at its final outcome. The tag keys are those of the http source's counter, whose {@code code} here is
 * {@code none}, because one metric name must keep one set of tag keys.
 */
@ApplicationScoped
public class ReceivedCounter {
    /** Published to the bus and acknowledged upstream. */
    public static final String PUBLISHED = "published";
    /** Refused (too large, or a CloudEvent that does not parse), logged and acknowledged upstream. */
    public static final String REFUSED = "refused";
    /** A retained MQTT message the event did not ask for, acknowledged upstream. */
    public static final String SKIPPED = "skipped";
    /** The adapter stopped before the bus took it: not acknowledged, so the broker delivers it again. */
    public static final String STOPPED = "stopped";

    @Inject
    MeterRegistry registry;

    public void count(EventKey key, String type, String outcome) {
        count(key, type, outcome, 1);
    }

    /** Counts {@code amount} messages (or cron ticks) at once. */
    public void count(EventKey key, String type, String outcome, long amount) {
        registry.counter("sluice.source.received", "namespace", key.namespace(), "eventsource", key.eventSource(),
                "event", key.event(), "type", type, "outcome", outcome, "code", "none").increment(amount);
    }

    /** Counts the publish attempts after the first, per event. */
    public Counter retries(EventKey key, String type) {
        return registry.counter("sluice.source.publish.retries", "namespace", key.namespace(), "eventsource",
                key.eventSource(), "event", key.event(), "type", type);
    }

    /** Counts events that a {@code spec.sink} refused for good and that were dropped, logged. */
    public Counter sinkRefusals(EventKey key, String type) {
        return registry.counter("sluice.source.sink.refused", "namespace", key.namespace(), "eventsource",
                key.eventSource(), "event", key.event(), "type", type);
    }

    /** The count so far, for tests and the docs' examples. */
    public double received(EventKey key, String type, String outcome) {
        Counter counter = registry.find("sluice.source.received").tags("namespace", key.namespace(), "eventsource",
                key.eventSource(), "event", key.event(), "type", type, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
