package dev.sluice.trigger.delivery;

/** The final outcome of delivering one event to one destination; after it, the event may be committed. */
public enum DeliveryOutcome {
    /** The destination answered 2xx or the bus acknowledged. */
    DELIVERED("delivered"),
    /** The destination refused the event or retries ran out, and the dead letter took it. */
    DEAD_LETTERED("dead-lettered"),
    /** Neither the destination nor a dead letter took it; it was logged and counted. */
    DROPPED("dropped");

    private final String tag;

    DeliveryOutcome(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code outcome} metric tag. */
    public String tag() {
        return tag;
    }
}
