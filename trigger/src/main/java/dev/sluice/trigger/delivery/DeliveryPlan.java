package dev.sluice.trigger.delivery;

import java.util.Optional;

import dev.sluice.sink.SinkTarget;

/**
 * Where one subscriber's events go and how hard to try.
 *
 * @param target the destination
 * @param deadLetter where events go that the destination did not take
 * @param replies where the destination's reply events go
 */
public record DeliveryPlan(SinkTarget target, Optional<SinkTarget> deadLetter, Optional<SinkTarget> replies,
        DeliveryPolicy policy) {
}
