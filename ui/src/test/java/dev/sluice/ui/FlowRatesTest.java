package dev.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class FlowRatesTest {
    private static final String TRIGGER = "Trigger/default/big-orders";

    @Test
    void theMetersAddUpPerNodeAsDocsObservabilityNamesThem() {
        MeterRegistry registry = new SimpleMeterRegistry();
        source(registry, "accepted", 7);
        source(registry, "rejected", 2); // refused at ingress: not received into the flow
        registry.counter("sluice.bus.published", "topic", "default-shop-orders", "outcome", "acknowledged").increment(7);
        registry.counter("sluice.bus.published", "topic", "default-shop-orders", "outcome", "failed").increment(1);
        registry.counter("sluice.trigger.received", "namespace", "default", "trigger", "big-orders").increment(7);
        subscriber(registry, "sluice.trigger.evaluated", "0", "matched", 3);
        subscriber(registry, "sluice.trigger.evaluated", "0", "unmatched", 4);
        subscriber(registry, "sluice.trigger.evaluated", "1", "matched", 7);
        subscriber(registry, "sluice.trigger.delivered", "0", "delivered", 2);
        subscriber(registry, "sluice.trigger.delivered", "0", "dead-lettered", 1);
        subscriber(registry, "sluice.trigger.delivered", "1", "delivered", 7);
        registry.counter("sluice.trigger.retried", "namespace", "default", "trigger", "big-orders", "subscriber", "0")
                .increment(5);

        Map<String, Map<String, Double>> totals = FlowRates.totals(registry);

        assertThat(totals.get("EventSource/default/shop")).isEqualTo(Map.of("received", 7.0));
        assertThat(totals.get("topic/default-shop-orders")).isEqualTo(Map.of("received", 7.0));
        assertThat(totals.get(TRIGGER)).isEqualTo(Map.of("received", 7.0, "matched", 10.0, "delivered", 9.0,
                "deadLettered", 1.0, "retried", 5.0));
        assertThat(totals.get(TRIGGER + "/subscribers/0")).isEqualTo(Map.of("matched", 3.0, "delivered", 2.0,
                "deadLettered", 1.0, "retried", 5.0));
        assertThat(totals.get(TRIGGER + "/subscribers/0/deadletter")).isEqualTo(Map.of("received", 1.0));
    }

    @Test
    void ratesArePerSecondAndNeverNegative() {
        Map<String, Map<String, Double>> before = Map.of(TRIGGER, Map.of("received", 10.0, "delivered", 8.0));
        Map<String, Map<String, Double>> now = Map.of(TRIGGER, Map.of("received", 30.0, "delivered", 2.0),
                "topic/new", Map.of("received", 4.0));

        Map<String, Map<String, Double>> rates = FlowRates.perSecond(before, now, 2.0);

        assertThat(rates.get(TRIGGER)).isEqualTo(Map.of("received", 10.0, "delivered", 0.0));
        assertThat(rates.get("topic/new")).isEqualTo(Map.of("received", 2.0));
    }

    private static void source(MeterRegistry registry, String outcome, int count) {
        registry.counter("sluice.source.received", "namespace", "default", "eventsource", "shop", "event", "orders",
                "type", "http", "outcome", outcome, "code", "202").increment(count);
    }

    private static void subscriber(MeterRegistry registry, String name, String index, String outcome, int count) {
        registry.counter(name, "namespace", "default", "trigger", "big-orders", "subscriber", index, "outcome",
                outcome).increment(count);
    }
}
