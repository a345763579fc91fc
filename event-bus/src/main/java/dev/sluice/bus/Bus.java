package dev.sluice.bus;

import java.util.Collection;
import java.util.Optional;
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

    /**
     * As {@link #subscribe}, except that the bus may read {@code topics} once for every shared subscription of this
     * connection to the same topics, and hand each event it read to all of them. Each keeps the committed position
     * of its own {@code group} and its own events in flight: one that falls behind holds up no other. A bus that
     * cannot share a read (Dapr) subscribes each on its own.
     */
    default BusSubscription subscribeShared(String group, Collection<String> topics, BusEventHandler handler) {
        return subscribe(group, topics, handler);
    }

    /**
     * A table kept on this bus under {@code name}: the latest value of each key, which outlives this process (on
     * Kafka, a compacted topic). Empty when the bus keeps none (Dapr).
     */
    default Optional<BusTable> table(String name) {
        return Optional.empty();
    }

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
