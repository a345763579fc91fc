package dev.sluice.sink;

import java.time.Duration;
import java.util.Optional;

import io.cloudevents.CloudEvent;

/**
 * How a sink answered one send. {@code status} is the HTTP status, or 0 when there was no answer
 * (connection refused, timeout, the bus did not acknowledge); a bus that acknowledged a publish answers 202.
 *
 * @param body the response body, for dead letters; empty when there was none
 * @param reply the CloudEvent the sink answered with, if any
 * @param retryAfter the sink's {@code Retry-After}, if it sent one
 * @param failure why there was no answer, when {@code status} is 0
 */
public record SinkResponse(int status, String body, Optional<CloudEvent> reply, Optional<Duration> retryAfter,
        Optional<String> failure) {

    public static final int NO_ANSWER = 0;
    public static final int ACCEPTED = 202;

    public static SinkResponse answered(int status, String body, Optional<CloudEvent> reply,
            Optional<Duration> retryAfter) {
        return new SinkResponse(status, body == null ? "" : body, reply, retryAfter, Optional.empty());
    }

    /** The destination took the event, with nothing to say back (a bus acknowledgement). */
    public static SinkResponse accepted() {
        return answered(ACCEPTED, "", Optional.empty(), Optional.empty());
    }

    /** There was no answer at all. */
    public static SinkResponse unreachable(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SinkResponse(NO_ANSWER, "", Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    /** Any 2xx: the event reached its destination. */
    public boolean isDelivered() {
        return status >= 200 && status < 300;
    }

    /**
     * Whether a send that ended so is worth trying again: no answer (connection error, timeout), 404, 408, 409,
     * 429 and 5xx. Any other 4xx means the event itself is at fault, and retrying cannot help. The trigger's
     * retries and the event-source's straight-to-sink mode follow the same rule.
     */
    public boolean isRetryable() {
        return status == NO_ANSWER || status == 404 || status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** For logs: the status, or why there was none. */
    public String describe() {
        return status == NO_ANSWER ? "no answer (" + failure.orElse("unknown") + ")" : "status " + status;
    }
}
