package dev.sluice.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

class RecentEventsTest {

    @Test
    void aNodeKeepsItsNewestEventsFirstAndNoMoreThanItsCapacity() {
        RecentEvents recent = new RecentEvents();
        RecentEvents.Ring ring = recent.node("topic/orders");
        IntStream.range(0, RecentEvents.PER_NODE + 5).forEach(n -> ring.record(event("e-" + n, "{}"), "published"));

        assertThat(recent.of("topic/orders")).hasSize(RecentEvents.PER_NODE)
                .extracting(RecentEvents.Entry::id).startsWith("e-29", "e-28").endsWith("e-5");
        assertThat(recent.of("topic/other")).isEmpty();
    }

    @Test
    void anEntryCarriesTheAttributesAndAnExcerptOfTheData() {
        RecentEvents recent = new RecentEvents();
        String data = "{\"amount\": 150, \"note\": \"" + "x".repeat(400) + "\"}";
        recent.node(RecentEvents.subscriber("default", "big-orders", 0)).record(event("order-1", data), "delivered");

        RecentEvents.Entry entry = recent.of("Trigger/default/big-orders/subscribers/0").get(0);
        assertThat(entry.id()).isEqualTo("order-1");
        assertThat(entry.type()).isEqualTo("shop.order");
        assertThat(entry.source()).isEqualTo("/tour");
        assertThat(entry.outcome()).isEqualTo("delivered");
        assertThat(entry.dataExcerpt()).startsWith("{\"amount\": 150").endsWith("…")
                .hasSize(RecentEvents.EXCERPT + 1);
    }

    @Test
    void pastTheLimitOfNodesANewNodeKeepsNothing() {
        RecentEvents recent = new RecentEvents();
        IntStream.range(0, RecentEvents.MAX_NODES).forEach(n -> recent.node("topic/t-" + n));
        recent.node("topic/one-too-many").record(event("e-1", "{}"), "published");
        recent.node("topic/t-0").record(event("e-2", "{}"), "published");

        assertThat(recent.of("topic/one-too-many")).isEmpty();
        assertThat(recent.of("topic/t-0")).extracting(RecentEvents.Entry::id).containsExactly("e-2");
    }

    private static CloudEvent event(String id, String json) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tour")).withType("shop.order")
                .withDataContentType("application/json").withData(json.getBytes(StandardCharsets.UTF_8)).build();
    }
}
