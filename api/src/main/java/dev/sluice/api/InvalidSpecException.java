package dev.sluice.api;

/**
 * A resource's spec cannot be served. Carries a CamelCase {@code reason} and the path of the field at
 * fault, and becomes a {@code Ready=False} condition, never a crash.
 */
public class InvalidSpecException extends RuntimeException {
    private final String reason;
    private final String field;
    private String conditionType;

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

    /**
     * Marks the sub-condition this failure belongs to (one of {@link ConditionTypes}), where the code that finds it
     * knows better than the code that reports it: a condition that does not compile fails {@code ConditionCompiled}.
     *
     * @return this exception, to be thrown on
     */
    public InvalidSpecException within(String type) {
        this.conditionType = type;
        return this;
    }

    /** The condition this failure shows as: of the type it was marked {@link #within}, else of {@code type}. */
    public Condition toCondition(String type) {
        return Condition.failed(conditionType != null ? conditionType : type, reason, getMessage());
    }
}
