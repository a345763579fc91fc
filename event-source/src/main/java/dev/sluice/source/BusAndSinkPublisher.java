package dev.sluice.source;

import java.util.concurrent.CompletionStage;

import io.cloudevents.CloudEvent;

/**
 * An EventSource with both {@code spec.eventBus} and {@code spec.sink}, as OpenFunction allows: every event goes to
 * its bus topic and, at the same time, straight to the sink with the rules of the straight-to-sink mode. The event
 * counts as acknowledged only when both took it; when either fails the whole publish fails and is retried (or
 * answered with an error by the HTTP source), so the one that had taken it sees the event again, with the same id.
 */
public record BusAndSinkPublisher(EventPublisher bus, SinkPublisher sink) implements EventPublisher {

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        CompletionStage<Void> toSink = sink.publish(event);
        return bus.publish(event).thenCombine(toSink, (a, b) -> null);
    }

    @Override
    public String identity() {
        return bus.identity() + "+" + sink.identity();
    }

    @Override
    public java.util.Optional<dev.sluice.bus.Buses.Resolved> targetBus() {
        return bus.targetBus();
    }
}
