package dev.sluice.trigger.filter;

import io.cloudevents.CloudEvent;

/** One of a subscriber's {@code filters}: whether an event is for this subscriber at all. */
@FunctionalInterface
public interface EventFilter {

    /**
     * @throws FilterException when the filter cannot decide on this event (a CESQL expression failed on it); the
     *         caller counts that as an error and the event as not for this subscriber
     */
    boolean test(CloudEvent event);

    default EventFilter and(EventFilter other) {
        return event -> test(event) && other.test(event);
    }

    default EventFilter or(EventFilter other) {
        return event -> test(event) || other.test(event);
    }

    default EventFilter negate() {
        return event -> !test(event);
    }
}
