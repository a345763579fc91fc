package dev.sluice.ui;

import java.util.Map;
import java.util.TreeMap;

import dev.sluice.flow.RecentEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reads the counters that {@code /q/metrics} shows (their names and tags are those of docs/observability.md) and
 * adds them up per node of the {@link FlowGraph}: how many events each node received, matched, delivered,
 * retried and dead-lettered so far. Two samples a second apart give the rates per second.
 */
final class FlowRates {
    static final String RECEIVED = "received";
    static final String MATCHED = "matched";
    static final String DELIVERED = "delivered";
    static final String RETRIED = "retried";
    static final String DEAD_LETTERED = "deadLettered";

    private FlowRates() {
    }

    /** Totals so far: node id → measure → count. */
    static Map<String, Map<String, Double>> totals(MeterRegistry registry) {
        Map<String, Map<String, Double>> totals = new TreeMap<>();
        for (Counter c : registry.find("sluice.source.received").counters()) {
            String outcome = c.getId().getTag("outcome");
            if ("accepted".equals(outcome) || "published".equals(outcome)) {
                add(totals, "EventSource/" + c.getId().getTag("namespace") + "/" + c.getId().getTag("eventsource"),
                        RECEIVED, c.count());
            }
        }
        for (Counter c : registry.find("sluice.bus.published").tag("outcome", "acknowledged").counters()) {
            add(totals, RecentEvents.topic(c.getId().getTag("topic")), RECEIVED, c.count());
        }
        for (Counter c : registry.find("sluice.trigger.received").counters()) {
            add(totals, RecentEvents.trigger(c.getId().getTag("namespace"), c.getId().getTag("trigger")), RECEIVED,
                    c.count());
        }
        for (Counter c : registry.find("sluice.trigger.evaluated").tag("outcome", "matched").counters()) {
            addToTriggerAndSubscriber(totals, c, MATCHED);
        }
        for (Counter c : registry.find("sluice.trigger.delivered").counters()) {
            String outcome = c.getId().getTag("outcome");
            if ("delivered".equals(outcome)) {
                addToTriggerAndSubscriber(totals, c, DELIVERED);
            } else if ("dead-lettered".equals(outcome)) {
                addToTriggerAndSubscriber(totals, c, DEAD_LETTERED);
                add(totals, subscriberOf(c) + "/deadletter", RECEIVED, c.count());
            }
        }
        for (Counter c : registry.find("sluice.trigger.retried").counters()) {
            addToTriggerAndSubscriber(totals, c, RETRIED);
        }
        return totals;
    }

    /** Per second between two samples {@code seconds} apart; a node or measure new in {@code now} counts from 0. */
    static Map<String, Map<String, Double>> perSecond(Map<String, Map<String, Double>> before,
            Map<String, Map<String, Double>> now, double seconds) {
        Map<String, Map<String, Double>> rates = new TreeMap<>();
        now.forEach((node, measures) -> measures.forEach((measure, count) -> {
            double previous = before.getOrDefault(node, Map.of()).getOrDefault(measure, 0.0);
            // a Trigger's new generation registers its counters again from 0: never a negative rate
            double rate = Math.max(0, count - previous) / seconds;
            rates.computeIfAbsent(node, n -> new TreeMap<>()).put(measure, rate);
        }));
        return rates;
    }

    private static void addToTriggerAndSubscriber(Map<String, Map<String, Double>> totals, Counter c, String measure) {
        add(totals, RecentEvents.trigger(c.getId().getTag("namespace"), c.getId().getTag("trigger")), measure,
                c.count());
        add(totals, subscriberOf(c), measure, c.count());
    }

    private static String subscriberOf(Counter c) {
        return RecentEvents.subscriber(c.getId().getTag("namespace"), c.getId().getTag("trigger"),
                Integer.parseInt(c.getId().getTag("subscriber")));
    }

    private static void add(Map<String, Map<String, Double>> totals, String node, String measure, double count) {
        totals.computeIfAbsent(node, n -> new TreeMap<>()).merge(measure, count, Double::sum);
    }
}
