package dev.sluice.delivery;

/**
 * @param outcome where the event ended
 * @param response the destination's last answer (not the dead letter's)
 */
public record DeliveryResult(DeliveryOutcome outcome, SinkResponse response) {
}
