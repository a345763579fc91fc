package dev.sluice.trigger.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import dev.sluice.api.Durations;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.trigger.DeliverySpec;
import dev.sluice.sink.SinkResponse;
import dev.sluice.sink.Sinks;

/**
 * The delivery policy in force for one destination: Sluice's defaults, overridden field by field by a
 * Trigger's {@code delivery}, overridden in turn by a subscriber's.
 *
 * @param retry how many times a failed send is tried again after the first attempt
 * @param backoffDelay the base of the backoff; see {@link #backoff(int)}
 * @param timeout how long one send may take before it counts as a connection error
 * @param retryAfterMax the longest wait a sink's {@code Retry-After} can ask for
 * @param maxInFlight with {@code unordered}, how many events are delivered at once
 */
public record DeliveryPolicy(int retry, Backoff backoffPolicy, Duration backoffDelay, Duration timeout,
        Duration retryAfterMax, Ordering ordering, int maxInFlight) {

    /** How the wait between retries grows. */
    public enum Backoff {
        LINEAR, EXPONENTIAL
    }

    /** Whether one subscriber keeps the order of a partition, also across retries. */
    public enum Ordering {
        ORDERED, UNORDERED
    }

    /**
     * Sluice's defaults, Knative's where Knative has one: 5 retries with exponential backoff from 200 ms
     * (200, 400, 800, 1600, 3200 ms), 30 s per attempt, a sink's Retry-After honoured up to 30 s, and up to 100
     * events in flight per subscriber in no particular order.
     */
    public static final DeliveryPolicy DEFAULTS = new DeliveryPolicy(5, Backoff.EXPONENTIAL, Duration.ofMillis(200),
            Sinks.DEFAULT_TIMEOUT, Duration.ofSeconds(30), Ordering.UNORDERED, 100);

    /** Longest single backoff, so that a large retry count cannot overflow into a wait of years. */
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /**
     * This policy with every field that {@code spec} sets taken from it.
     *
     * @param field the path of {@code spec}, for errors, e.g. {@code spec.subscribers[0].delivery}
     * @throws InvalidSpecException {@code InvalidDelivery} naming the field at fault
     */
    public DeliveryPolicy overriddenBy(DeliverySpec spec, String field) {
        if (spec == null) {
            return this;
        }
        int nextRetry = Optional.ofNullable(spec.getRetry()).orElse(retry);
        if (nextRetry < 0) {
            throw new InvalidSpecException(Reasons.INVALID_DELIVERY, field + ".retry", "must be 0 or more, not " + nextRetry);
        }
        int nextMaxInFlight = Optional.ofNullable(spec.getMaxInFlight()).orElse(maxInFlight);
        if (nextMaxInFlight < 1) {
            throw new InvalidSpecException(Reasons.INVALID_DELIVERY, field + ".maxInFlight",
                    "must be 1 or more, not " + nextMaxInFlight);
        }
        return new DeliveryPolicy(nextRetry,
                choice(Backoff.class, spec.getBackoffPolicy(), backoffPolicy, field + ".backoffPolicy"),
                positive(spec.getBackoffDelay(), backoffDelay, field + ".backoffDelay"),
                positive(spec.getTimeout(), timeout, field + ".timeout"),
                positive(spec.getRetryAfterMax(), retryAfterMax, field + ".retryAfterMax"),
                choice(Ordering.class, spec.getOrdering(), ordering, field + ".ordering"),
                nextMaxInFlight);
    }

    /**
     * The backoff before retry number {@code retryNumber} (1 for the first retry): {@code linear} waits
     * n × backoffDelay, {@code exponential} 2^(n-1) × backoffDelay.
     */
    public Duration backoff(int retryNumber) {
        int n = Math.max(1, retryNumber);
        Duration wait = backoffPolicy == Backoff.LINEAR
                ? backoffDelay.multipliedBy(n)
                : backoffDelay.multipliedBy(1L << Math.min(n - 1, 30));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /**
     * How long to wait before retry number {@code retryNumber} after {@code response}: the backoff, or the
     * sink's Retry-After when that is longer, capped at {@code retryAfterMax}.
     */
    public Duration delayBefore(int retryNumber, SinkResponse response) {
        Duration backoff = backoff(retryNumber);
        Optional<Duration> asked = response.retryAfter()
                .map(d -> d.compareTo(retryAfterMax) > 0 ? retryAfterMax : d);
        return asked.filter(d -> d.compareTo(backoff) > 0).orElse(backoff);
    }


    private static Duration positive(String text, Duration fallback, String field) {
        Duration parsed = Durations.parse(text, fallback, field);
        if (parsed.isNegative() || parsed.isZero()) {
            throw new InvalidSpecException(Reasons.INVALID_DELIVERY, field, "must be longer than zero, not '" + text + "'");
        }
        return parsed;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String text, E fallback, String field) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String known = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).reduce((a, b) -> a + ", " + b).orElse("");
            throw new InvalidSpecException(Reasons.INVALID_DELIVERY, field, "'" + text + "' is not one of " + known);
        }
    }
}
