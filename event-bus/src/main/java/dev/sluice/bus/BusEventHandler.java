package dev.sluice.bus;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Processes one event taken from the bus. */
@FunctionalInterface
public interface BusEventHandler {

    /**
     * @return a stage that completes once the event has reached its final outcome; only then may the
     *         bus consider it consumed. A failed stage is logged and counted, and the event is consumed.
     */
    CompletionStage<Void> handle(BusEvent event);

    /**
     * The partitions, by number across the subscribed topics, that this member of the group reads from now on;
     * called before the first of their events, after the previous owner finished with them, on the thread that
     * calls {@link #handle}. A handler that keeps state per partition (a Trigger's correlation windows) loads it
     * here; it may block for a few seconds. Buses without partitions never call it.
     */
    default void assigned(Set<Integer> partitions) {
    }

    /**
     * The partitions this member no longer reads: given back in a rebalance, or lost (its session ended); called on
     * the thread that calls {@link #handle}. Buses without partitions never call it.
     */
    default void revoked(Set<Integer> partitions) {
    }
}
