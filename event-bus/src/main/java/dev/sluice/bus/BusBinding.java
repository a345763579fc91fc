package dev.sluice.bus;

import dev.sluice.api.eventbus.EventBusSpec;

/**
 * One kind of bus (kafka, dapr), found by its {@code @Identifier}. Opens connections for EventBus specs of
 * its kind.
 */
public interface BusBinding {

    /** The spec's field that selects this binding, for example {@code kafka}. */
    String name();

    /** True when the spec asks for this binding. */
    boolean accepts(EventBusSpec spec);

    /**
     * Opens a connection for the spec.
     *
     * @throws dev.sluice.api.InvalidSpecException when the spec cannot be served, naming the field
     */
    Bus open(EventBusSpec spec);
}
