package dev.sluice.api;

/**
 * A resource's spec cannot be served. Carries a CamelCase {@code reason} and the path of the field at
 * fault, and becomes a {@code Ready=False} condition, never a crash.
 */
public class InvalidSpecException extends RuntimeException {
    private final String reason;
    private final String field;

    public InvalidSpecException(String reason, String field, String message) {
        super(field + ": " + message);
        this.reason = reason;
        this.field = field;
    }

    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }

    /** The condition this failure shows as. */
    public Condition toCondition(String type) {
        return Condition.failed(type, reason, getMessage());
    }
}
