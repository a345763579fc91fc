package dev.sluice.source;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sluice.sink.Sink;
import dev.sluice.sink.SinkResponse;
import io.cloudevents.CloudEvent;

/**
 * {@code spec.sink} without a bus: each event is POSTed straight to the sync function, and counts as
 * acknowledged only when the function answered 2xx. An answer that the delivery rules would retry fails the
 * stage with a retryable {@link SinkRefusedException}; any other refusal fails it with a final one.
 */
public record SinkPublisher(Sink sink) implements EventPublisher {

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        return sink.send(event).thenCompose(response -> response.isDelivered()
                ? CompletableFuture.<Void> completedFuture(null)
                : CompletableFuture.<Void> failedFuture(new SinkRefusedException(sink.destination(), response)));
    }

    @Override
    public String identity() {
        return "sink:" + sink.destination();
    }

    /** The sink did not take the event. */
    public static final class SinkRefusedException extends RuntimeException {
        private final transient SinkResponse response;

        SinkRefusedException(String destination, SinkResponse response) {
            super("sink " + destination + " answered " + response.describe());
            this.response = response;
        }

        /** True when retrying cannot help: a 4xx other than 404, 408, 409 and 429. */
        public boolean isFinal() {
            return !response.isRetryable();
        }

        public int status() {
            return response.status();
        }
    }
}
