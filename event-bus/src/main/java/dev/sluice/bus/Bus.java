package dev.sluice.bus;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

import io.cloudevents.CloudEvent;

/** A connection to one event bus: publish CloudEvents to topics and subscribe consumer groups to them. */
public interface Bus extends AutoCloseable {

    /**
     * Publishes one event. The stage completes only once the bus has acknowledged it durably, and fails
     * when it could not.
     */
    CompletionStage<Void> publish(String topic, CloudEvent event);

    /** Makes sure the topics exist, so that publishers and subscribers meet on them from the first event. */
    CompletionStage<Void> ensureTopics(Collection<String> topics);

    /**
     * Starts delivering the events of {@code topics} to {@code handler}, as one consumer group. An event's
     * position is committed only once the stage its handler returned has completed.
     */
    BusSubscription subscribe(String group, Collection<String> topics, BusEventHandler handler);

    /** The events this bus keeps, to read again; empty for a bus that keeps none (Dapr's pub/sub API). */
    default java.util.Optional<BusHistory> history() {
        return java.util.Optional.empty();
    }

    /** True when the bus answers within the timeout; readiness reports it. */
    boolean isReachable(java.time.Duration timeout);

    /** Releases the connection; subscriptions of this bus stop. */
    @Override
    void close();
}
