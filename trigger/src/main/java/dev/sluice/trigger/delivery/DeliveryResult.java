package dev.sluice.trigger.delivery;

import java.util.Optional;

import dev.sluice.sink.SinkResponse;

/**
 * @param outcome where the event ended
 * @param response the destination's last answer (not the dead letter's)
 * @param reply how the reply destination answered, when the sink replied with an event and one is set
 */
public record DeliveryResult(DeliveryOutcome outcome, SinkResponse response, Optional<SinkResponse> reply) {

    public DeliveryResult(DeliveryOutcome outcome, SinkResponse response) {
        this(outcome, response, Optional.empty());
    }
}
