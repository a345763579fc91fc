package dev.sluice.sink;

import java.time.Duration;

/**
 * One kind of sink, found by its {@code @Identifier}, which is also the {@link SinkTarget#type()} it serves.
 * A new kind of sink is one more implementation, plus the spec field that names it and the line that reads that
 * field into a {@link SinkTarget}; the code that opens and delivers to sinks does not change.
 */
public interface SinkType {

    /** The name targets of this kind are written with; the same as the bean's {@code @Identifier}. */
    String name();

    /**
     * Opens a sink for one target.
     *
     * @param owner the resource that delivers
     * @param timeout how long one send may take before it counts as a connection error
     * @throws dev.sluice.api.InvalidSpecException {@code SinkNotResolved}, naming {@code target.field()}, when the
     *         address is not usable
     */
    Sink open(SinkTarget target, SinkOwner owner, Duration timeout);
}
