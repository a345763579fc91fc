package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sluice.api.trigger.Filter;
import dev.sluice.bus.BusEvent;
import dev.sluice.flow.RecentEvents;
import dev.sluice.sink.FakeSink;
import dev.sluice.tracing.EventTracing;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.cel.TriggerCondition;
import dev.sluice.trigger.delivery.Delivery;
import dev.sluice.trigger.delivery.DeliveryPolicy;
import dev.sluice.trigger.filter.EventFilter;
import dev.sluice.trigger.filter.EventFilters;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SubscriberRouteTest {
    private final CorrelationWindowTest.MovableClock clock = new CorrelationWindowTest.MovableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final FakeSink sink = new FakeSink("http://sink/");

    @Test
    void bothInputsFireOncePerPairAndThenStartAfresh() {
        SubscriberRoute route = route("a && b", EventFilters.allOf(List.of(), "filters"));

        offer(route, "a", "a1", "x");
        offer(route, "b", "b1", "x");
        offer(route, "b", "b2", "x");
        offer(route, "a", "a2", "x");

        assertThat(sink.received()).extracting(CloudEvent::getId).containsExactly("b1", "a2");
        assertThat(evaluated("matched")).isEqualTo(2);
        assertThat(evaluated("unmatched")).isEqualTo(2);
    }

    @Test
    void anEventOlderThanTheWindowNoLongerCounts() {
        SubscriberRoute route = route("a && b", EventFilters.allOf(List.of(), "filters"));

        offer(route, "a", "a1", "x");
        clock.advance(Duration.ofSeconds(61));
        offer(route, "b", "b1", "x");

        assertThat(sink.received()).isEmpty();
    }

    @Test
    void anEventTheFiltersRefuseIsNeitherDeliveredNorHeld() {
        Filter onlyX = new Filter();
        onlyX.getExact().put("type", "x");
        SubscriberRoute route = route("a && b", EventFilters.allOf(List.of(onlyX), "filters"));

        offer(route, "a", "a1", "y");
        offer(route, "b", "b1", "x");
        offer(route, "a", "a2", "x");

        assertThat(sink.received()).extracting(CloudEvent::getId).containsExactly("a2");
    }

    @Test
    void aConditionThatFailsOnAnEventCountsAnErrorAndDeliversNothing() {
        SubscriberRoute route = route("event.data.missing > 1", EventFilters.allOf(List.of(), "filters"));

        offer(route, "a", "a1", "x");

        assertThat(sink.received()).isEmpty();
        assertThat(evaluated("error")).isEqualTo(1);
    }

    private SubscriberRoute route(String condition, EventFilter filter) {
        return new SubscriberRoute("Trigger/default/t spec.subscribers[0]", filter,
                TriggerCondition.compile(condition, List.of("a", "b"), "spec.subscribers[0].condition"),
                new CorrelationWindow(Duration.ofSeconds(60), clock),
                new Delivery(sink, Optional.empty(), Optional.empty(), "Trigger/default/t"),
                DeliveryLane.of(DeliveryPolicy.DEFAULTS),
                new TriggerMeters(registry, new RecentEvents(), "default", "t").subscriber(0, "0"),
                EventTracing.off(), org.jboss.logging.Logger.getLogger(SubscriberRouteTest.class));
    }

    private static void offer(SubscriberRoute route, String input, String id, String type) {
        CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType(type)
                .withDataContentType("application/json").withData("{}".getBytes(StandardCharsets.UTF_8)).build();
        route.offer(new BusEvent("default-src-" + input, 0, 0, event), List.of(input), EventVariables.of(event))
                .toCompletableFuture().join();
    }

    private double evaluated(String outcome) {
        return registry.counter("sluice.trigger.evaluated", "namespace", "default", "trigger", "t", "subscriber", "0",
                "outcome", outcome).count();
    }
}
