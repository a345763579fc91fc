package dev.sluice.source;

import java.util.Map;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.EventSourceSpec;

/**
 * One source type (http, kafka, mqtt), one class each, found by its {@code @Identifier}. It runs one
 * adapter per event of that type and hands what it receives to the event's {@link EventPublisher}.
 *
 * @param <S> the spec of one event of this type
 */
public interface EventSourceAdapter<S> {

    /** The spec field of this type, for example {@code http}; also its {@code @Identifier}. */
    String type();

    /** The events of this type in an EventSource spec, by event name. */
    Map<String, S> events(EventSourceSpec spec);

    /**
     * Starts the adapter of one event, or restarts it with a new spec or publisher.
     *
     * @throws dev.sluice.api.InvalidSpecException when the event's spec cannot be served, naming the field
     */
    void start(EventKey key, S spec, EventPublisher publisher);

    /** Stops the adapter of one event; nothing happens when it does not run. */
    void stop(EventKey key);

    /**
     * Whether the adapter of one running event is connected to its upstream, as a
     * {@link ConditionTypes#SOURCE_CONNECTED} condition: false with a reason (for example {@code BrokerUnreachable}) and a message while it is not. The
     * reconciler folds it into {@code SourcesReady} and asks again every few seconds, so it must be cheap.
     * Adapters that hold no connection (http) are always connected.
     */
    default Condition state(EventKey key) {
        return Condition.ok(ConditionTypes.SOURCE_CONNECTED, Reasons.CONNECTED);
    }
}
