package dev.sluice.source;

import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import io.cloudevents.CloudEvent;

/**
 * Logs each event of one EventSource under the resource's own category ({@code dev.sluice.eventsource.{ns}.{name}}),
 * whose level the EventSource's {@code spec.logLevel} sets: DEBUG one line per event and outcome, TRACE the data too.
 */
record LoggingPublisher(EventPublisher target, Logger log) implements EventPublisher {

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        if (log.isTraceEnabled() && event.getData() != null) {
            log.tracef("Event %s (%s) data: %s", event.getId(), event.getType(), new String(event.getData().toBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return target.publish(event).whenComplete((ok, error) -> {
            if (log.isDebugEnabled()) {
                log.debugf("Event %s (%s) to %s: %s", event.getId(), event.getType(), target.identity(),
                        error == null ? "acknowledged" : error.getMessage());
            }
        });
    }

    @Override
    public String identity() {
        return target.identity();
    }

    @Override
    public java.util.Optional<dev.sluice.bus.Buses.Resolved> targetBus() {
        return target.targetBus();
    }
}
