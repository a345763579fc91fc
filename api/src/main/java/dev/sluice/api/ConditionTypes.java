package dev.sluice.api;

/**
 * The sub-condition types that {@link Condition#READY} is rolled up from.
 */
public final class ConditionTypes {
    public static final String BINDING_READY = "BindingReady";
    public static final String BUS_REACHABLE = "BusReachable";
    public static final String BUS_RESOLVED = "BusResolved";
    public static final String CONDITION_COMPILED = "ConditionCompiled";
    public static final String RECONCILED = "Reconciled";
    public static final String SINK_RESOLVED = "SinkResolved";
    public static final String SOURCES_READY = "SourcesReady";
    /** Per event of an EventSource: its adapter is connected to its upstream; folded into SourcesReady. */
    public static final String SOURCE_CONNECTED = "SourceConnected";
    public static final String SPEC_VALID = "SpecValid";
    public static final String SUBSCRIBED = "Subscribed";

    private ConditionTypes() {
    }
}
