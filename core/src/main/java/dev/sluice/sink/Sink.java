package dev.sluice.sink;

import java.util.List;
import java.util.concurrent.CompletionStage;

import io.cloudevents.CloudEvent;

/** Somewhere one CloudEvent can be sent: a function's HTTP endpoint, a topic on the bus. */
public interface Sink {

    /**
     * Sends one event, once. The stage completes with how the destination answered, also when it refused the
     * event or could not be reached; it does not fail for those. Retrying is the caller's choice.
     */
    CompletionStage<SinkResponse> send(CloudEvent event);

    /** The address the events go to (a URI or a topic), as dead letters name it in {@code sluiceerrordest}. */
    String destination();

    /**
     * The bus topics this sink publishes to, so that the delivering service creates them before the first
     * event; none for a sink outside the bus.
     */
    default List<String> busTopics() {
        return List.of();
    }
}
