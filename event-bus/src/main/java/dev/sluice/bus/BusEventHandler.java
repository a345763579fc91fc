package dev.sluice.bus;

import java.util.concurrent.CompletionStage;

/** Processes one event taken from the bus. */
@FunctionalInterface
public interface BusEventHandler {

    /**
     * @return a stage that completes once the event has reached its final outcome; only then may the
     *         bus consider it consumed. A failed stage is logged and counted, and the event is consumed.
     */
    CompletionStage<Void> handle(BusEvent event);
}
