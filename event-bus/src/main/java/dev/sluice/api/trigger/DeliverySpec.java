package dev.sluice.api.trigger;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Knative-style delivery policy. Every field is optional; a subscriber's value wins over the
 * Trigger's, which wins over the defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeliverySpec {
    private Integer retry;
    private String backoffPolicy;
    private String backoffDelay;
    private String timeout;
    private String retryAfterMax;
    private String ordering;
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
