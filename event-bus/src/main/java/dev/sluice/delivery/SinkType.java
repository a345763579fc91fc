package dev.sluice.delivery;

import java.util.Optional;

import dev.sluice.bus.Bus;

/**
 * One kind of sink, found by its {@code @Identifier}, which is also the {@link SinkTarget#type()} it serves.
 * A new kind of sink is one more implementation; nothing else changes.
 */
public interface SinkType {

    /** The name targets of this kind are written with; the same as the bean's {@code @Identifier}. */
    String name();

    /**
     * Opens a sink for one target.
     *
     * @param bus the bus of the resource that delivers, when it has one
     * @param policy the delivery policy (its {@code timeout} bounds one send)
     * @throws dev.sluice.api.InvalidSpecException {@code SinkNotResolved}, naming {@code target.field()}, when the
     *         address is not usable
     */
    Sink open(SinkTarget target, Optional<Bus> bus, DeliveryPolicy policy);
}
