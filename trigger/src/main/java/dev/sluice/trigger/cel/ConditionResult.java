package dev.sluice.trigger.cel;

/** What one evaluation of a subscriber's condition gave. An error counts as not matched. */
public enum ConditionResult {
    MATCHED("matched"),
    UNMATCHED("unmatched"),
    ERROR("error");

    private final String tag;

    ConditionResult(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code outcome} metric tag. */
    public String tag() {
        return tag;
    }

    public boolean matched() {
        return this == MATCHED;
    }
}
