package dev.sluice.source;

import java.util.concurrent.CompletionStage;

import dev.sluice.bus.Buses;
import io.cloudevents.CloudEvent;

/** Publishes an event source's events to their topic on the bus. */
public record BusPublisher(Buses.Resolved bus, String topic) implements EventPublisher {

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        return bus.bus().publish(topic, event);
    }

    @Override
    public String identity() {
        return bus.identity() + "->" + topic;
    }

    @Override
    public java.util.Optional<Buses.Resolved> targetBus() {
        return java.util.Optional.of(bus);
    }
}
