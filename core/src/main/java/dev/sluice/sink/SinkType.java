package dev.sluice.sink;

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
     * @param owner the resource that delivers
     * @param policy the delivery policy (its {@code timeout} bounds one send)
     * @throws dev.sluice.api.InvalidSpecException {@code SinkNotResolved}, naming {@code target.field()}, when the
     *         address is not usable
     */
    Sink open(SinkTarget target, SinkOwner owner, DeliveryPolicy policy);
}
