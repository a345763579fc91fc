package dev.sluice.bus;

import dev.sluice.api.eventbus.EventBusSpec;

/**
 * One kind of bus, found by its {@code @Identifier}, which is the name of the EventBus spec's field that selects
 * it ({@code kafka}, {@code dapr}). A new binding is one more implementation in a package of its own, plus its
 * field in {@code EventBusSpec} (docs/architecture.md has the checklist); no code switches on binding names.
 */
public interface BusBinding {

    /** The spec's field that selects this binding, the same as the bean's {@code @Identifier}. */
    String name();

    /**
     * Opens a connection for the spec, which sets this binding's field.
     *
     * @param namespace where the Secrets that the spec's {@code XSecretRef} fields name live
     * @throws dev.sluice.api.InvalidSpecException when the spec cannot be served, naming the field
     */
    Bus open(EventBusSpec spec, String namespace);
}
