package dev.sluice.api.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Knative-style delivery policy. Every field is optional; a subscriber's value wins over the
 * Trigger's, which wins over the defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeliverySpec {
    @JsonPropertyDescription("Retries after the first attempt before the event goes to the dead letter.")
    @Min(0)
    private Integer retry;
    @JsonPropertyDescription("linear or exponential.")
    @Pattern("^(linear|exponential)$")
    private String backoffPolicy;
    @JsonPropertyDescription("Delay of the first retry: ISO-8601 (PT0.5S) or 500ms, 10s, 1m.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h)|P.*)$")
    private String backoffDelay;
    @JsonPropertyDescription("Time allowed for one attempt: ISO-8601 or 500ms, 10s, 1m.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h)|P.*)$")
    private String timeout;
    @JsonPropertyDescription("Longest Retry-After honoured: ISO-8601 or 500ms, 10s, 1m.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h)|P.*)$")
    private String retryAfterMax;
    @JsonPropertyDescription("ordered keeps per-partition order; unordered delivers up to maxInFlight at once.")
    @Pattern("^(ordered|unordered)$")
    private String ordering;
    @JsonPropertyDescription("Deliveries under way at once when ordering is unordered.")
    @Min(1)
    private Integer maxInFlight;

    public Integer getRetry() {
        return retry;
    }

    public void setRetry(Integer retry) {
        this.retry = retry;
    }

    /** {@code linear} or {@code exponential}. */
    public String getBackoffPolicy() {
        return backoffPolicy;
    }

    public void setBackoffPolicy(String backoffPolicy) {
        this.backoffPolicy = backoffPolicy;
    }

    public String getBackoffDelay() {
        return backoffDelay;
    }

    public void setBackoffDelay(String backoffDelay) {
        this.backoffDelay = backoffDelay;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getRetryAfterMax() {
        return retryAfterMax;
    }

    public void setRetryAfterMax(String retryAfterMax) {
        this.retryAfterMax = retryAfterMax;
    }

    /** {@code ordered} or {@code unordered}. */
    public String getOrdering() {
        return ordering;
    }

    public void setOrdering(String ordering) {
        this.ordering = ordering;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }
}
