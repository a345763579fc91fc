package dev.sluice.source;

import java.util.concurrent.CompletionStage;

import io.cloudevents.CloudEvent;

/** Where an adapter hands its events: the event's topic on the bus, or a sink. */
public interface EventPublisher {

    /** Completes once the destination acknowledged the event; only then may the adapter acknowledge upstream. */
    CompletionStage<Void> publish(CloudEvent event);

    /** Changes whenever the destination does, so an adapter is restarted when its bus or sink changes. */
    String identity();

    /** The bus this publisher sends to, if any; a cron event holds its lease on it. */
    default java.util.Optional<dev.sluice.bus.Buses.Resolved> targetBus() {
        return java.util.Optional.empty();
    }
}
