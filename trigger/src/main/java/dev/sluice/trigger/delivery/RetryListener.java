package dev.sluice.trigger.delivery;

import dev.sluice.sink.SinkResponse;
import io.cloudevents.CloudEvent;

/** Told of every retry a {@link RetryingSink} schedules, so that the service that owns it can count them. */
@FunctionalInterface
public interface RetryListener {
    RetryListener NONE = (event, response, retryNumber, delay) -> {
    };

    /** Called when retry number {@code retryNumber} of {@code event} is scheduled after {@code response}. */
    void retrying(CloudEvent event, SinkResponse response, int retryNumber, java.time.Duration delay);
}
