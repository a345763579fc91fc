package dev.sluice.trigger;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.sluice.trigger.delivery.DeliveryPolicy;
import dev.sluice.trigger.delivery.DeliveryResult;

/** How one subscriber's matched events go out: one at a time per partition, or up to maxInFlight at once. */
interface DeliveryLane {

    /**
     * Starts {@code delivery} when the lane allows it.
     *
     * @param stream the ordered stream the event comes from ({@link dev.sluice.bus.BusEvent#stream()})
     * @return completes with the delivery's result
     */
    CompletionStage<DeliveryResult> submit(String stream, Supplier<CompletionStage<DeliveryResult>> delivery);

    static DeliveryLane of(DeliveryPolicy policy) {
        return switch (policy.ordering()) {
            case ORDERED -> new OrderedLane();
            case UNORDERED -> new BoundedLane(policy.maxInFlight());
        };
    }
}
