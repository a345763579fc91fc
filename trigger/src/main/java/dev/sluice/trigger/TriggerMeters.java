package dev.sluice.trigger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.sluice.delivery.DeliveryOutcome;
import dev.sluice.trigger.cel.ConditionResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one Trigger, looked up once rather than per event: {@code sluice.trigger.evaluated},
 * {@code sluice.trigger.delivered} and {@code sluice.trigger.replied} (tagged by outcome),
 * {@code sluice.trigger.retried} and the histogram
 * {@code sluice.trigger.delivery.latency}, each tagged with namespace and trigger.
 */
final class TriggerMeters {
    private final Map<ConditionResult, Counter> evaluated = new EnumMap<>(ConditionResult.class);
    private final Map<DeliveryOutcome, Counter> delivered = new EnumMap<>(DeliveryOutcome.class);
    private final Counter retried;
    private final Counter repliesForwarded;
    private final Counter repliesLost;
    private final Timer latency;

    TriggerMeters(MeterRegistry registry, String namespace, String trigger) {
        Tags tags = Tags.of("namespace", namespace, "trigger", trigger);
        for (ConditionResult result : ConditionResult.values()) {
            evaluated.put(result, registry.counter("sluice.trigger.evaluated", tags.and("outcome", result.tag())));
        }
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            delivered.put(outcome, registry.counter("sluice.trigger.delivered", tags.and("outcome", outcome.tag())));
        }
        retried = registry.counter("sluice.trigger.retried", tags);
        repliesForwarded = registry.counter("sluice.trigger.replied", tags.and("outcome", "published"));
        repliesLost = registry.counter("sluice.trigger.replied", tags.and("outcome", "dropped"));
        latency = Timer.builder("sluice.trigger.delivery.latency").tags(tags)
                .description("From an event's dispatch to its final outcome, retries included")
                .publishPercentileHistogram().register(registry);
    }

    void evaluated(ConditionResult result) {
        evaluated.get(result).increment();
    }

    void delivered(DeliveryOutcome outcome, Duration took) {
        delivered.get(outcome).increment();
        latency.record(took);
    }

    void replied(boolean published) {
        (published ? repliesForwarded : repliesLost).increment();
    }

    void retried() {
        retried.increment();
    }
}
