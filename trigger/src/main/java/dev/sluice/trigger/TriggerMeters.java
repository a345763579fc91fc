package dev.sluice.trigger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.sluice.flow.RecentEvents;
import dev.sluice.trigger.cel.ConditionResult;
import dev.sluice.trigger.delivery.DeliveryOutcome;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one Trigger, looked up once rather than per event, each tagged with {@code namespace} and
 * {@code trigger}: {@code sluice.trigger.received} (events read from the bus) and the histogram
 * {@code sluice.trigger.delivery.latency}; and per subscriber (tagged {@code subscriber}, its index in
 * {@code spec.subscribers}) {@code sluice.trigger.evaluated}, {@code sluice.trigger.delivered} and
 * {@code sluice.trigger.replied} by {@code outcome}, and {@code sluice.trigger.retried}. Beside each count, the
 * event goes into the Trigger's or the subscriber's ring of {@link RecentEvents}, which the flow page shows.
 */
final class TriggerMeters {
    static final String RECEIVED = "sluice.trigger.received";
    static final String EVALUATED = "sluice.trigger.evaluated";
    static final String DELIVERED = "sluice.trigger.delivered";
    static final String RETRIED = "sluice.trigger.retried";
    static final String REPLIED = "sluice.trigger.replied";
    static final String DELIVERY_LATENCY = "sluice.trigger.delivery.latency";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter received;
    private final Timer latency;
    private final RecentEvents recent;
    private final String namespace;
    private final String trigger;
    private final RecentEvents.Ring recentlyReceived;

    TriggerMeters(MeterRegistry registry, RecentEvents recent, String namespace, String trigger) {
        this.registry = registry;
        this.recent = recent;
        this.namespace = namespace;
        this.trigger = trigger;
        this.recentlyReceived = recent.node(RecentEvents.trigger(namespace, trigger));
        this.tags = Tags.of("namespace", namespace, "trigger", trigger);
        this.received = Counter.builder(RECEIVED).tags(tags).description("Events read from the bus")
                .register(registry);
        this.latency = Timer.builder(DELIVERY_LATENCY).tags(tags)
                .description("From a matched event's dispatch to its final outcome, retries included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
    }

    void received(CloudEvent event) {
        received.increment();
        recentlyReceived.record(event, "received");
    }

    /**
     * The meters of subscriber number {@code index} ({@code spec.subscribers[index]}), tagged {@code tag}: the index,
     * with {@code .sink} or {@code .topic} for one half of a subscriber with both.
     */
    Subscriber subscriber(int index, String tag) {
        return new Subscriber(tags.and("subscriber", tag),
                recent.node(RecentEvents.subscriber(namespace, trigger, index)));
    }

    /** One subscriber's counters, beside the Trigger's latency histogram. */
    final class Subscriber {
        private final Map<ConditionResult, Counter> evaluated = new EnumMap<>(ConditionResult.class);
        private final Map<DeliveryOutcome, Counter> delivered = new EnumMap<>(DeliveryOutcome.class);
        private final Counter retried;
        private final Counter repliesForwarded;
        private final Counter repliesLost;
        private final RecentEvents.Ring outcomes;

        private Subscriber(Tags subscriberTags, RecentEvents.Ring outcomes) {
            this.outcomes = outcomes;
            for (ConditionResult result : ConditionResult.values()) {
                evaluated.put(result, registry.counter(EVALUATED, subscriberTags.and("outcome", result.tag())));
            }
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                delivered.put(outcome, registry.counter(DELIVERED, subscriberTags.and("outcome", outcome.tag())));
            }
            retried = registry.counter(RETRIED, subscriberTags);
            repliesForwarded = registry.counter(REPLIED, subscriberTags.and("outcome", "published"));
            repliesLost = registry.counter(REPLIED, subscriberTags.and("outcome", "dropped"));
        }

        /** Counts an evaluation; an event that did not match ends here and is recorded with that result. */
        void evaluated(ConditionResult result, CloudEvent event) {
            evaluated.get(result).increment();
            if (!result.matched()) {
                outcomes.record(event, result.tag());
            }
        }

        void delivered(DeliveryOutcome outcome, Duration took, CloudEvent event) {
            delivered.get(outcome).increment();
            latency.record(took);
            outcomes.record(event, outcome.tag());
        }

        /** Counts an event this subscriber could not be offered; there is no readable event to record. */
        void dropped() {
            delivered.get(DeliveryOutcome.DROPPED).increment();
        }

        void replied(boolean published) {
            (published ? repliesForwarded : repliesLost).increment();
        }

        void retried() {
            retried.increment();
        }
    }
}
