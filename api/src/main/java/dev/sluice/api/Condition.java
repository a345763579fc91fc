package dev.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One Kubernetes-style status condition: {@code type, status, reason, message, lastTransitionTime}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    public static final String READY = "Ready";
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    @JsonPropertyDescription("Aspect this condition describes: Ready, or a sub-condition such as BusResolved or SourcesReady.")
    private String type;
    @JsonPropertyDescription("True, False or Unknown.")
    private String status;
    @JsonPropertyDescription("CamelCase cause of the last transition, for example BusNotFound.")
    private String reason;
    @JsonPropertyDescription("Human-readable detail, naming the field at fault when the spec is invalid.")
    private String message;
    @JsonPropertyDescription("When status last changed (RFC 3339); kept while status stays the same.")
    private String lastTransitionTime;

    public Condition() {
    }

    public Condition(String type, String status, String reason, String message) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
    }

    public static Condition ok(String type, String reason) {
        return new Condition(type, TRUE, reason, null);
    }

    public static Condition failed(String type, String reason, String message) {
        return new Condition(type, FALSE, reason, message);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTrue() {
        return TRUE.equals(status);
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    @Override
    public String toString() {
        return type + "=" + status + (reason == null ? "" : " (" + reason + (message == null ? "" : ": " + message) + ")");
    }
}
