package dev.sluice.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.trigger.cel.TriggerCondition;

/** {@code POST /tests} and {@code sluice test}: what the running Trigger would do, with nothing delivered. */
class DryRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TWO_INPUTS = """
            apiVersion: events.sluice.dev/v1alpha1
            kind: Trigger
            metadata: {name: paid, namespace: default}
            spec:
              inputs:
                order: {eventSource: shop, event: orders}
                payment: {eventSource: shop, event: payments}
              subscribers:
              - condition: "order && payment && inputs.order.data.id == inputs.payment.data.orderId"
                sink: {uri: "http://fulfilment/"}
              - filters:
                - exact: {type: shop.payment}
                condition: "event.data.amount > 10"
                sink: {ref: {apiVersion: v1, kind: Service, name: audit}}
            """;

    private final DryRun dryRun = new DryRun(JSON, TriggerCondition.DEFAULT_MAX_ITERATIONS);

    @Test
    void aPairFiresOnItsSecondEventAndTheSourceSaysWhichInputAnEventArrivesOn() {
        JsonNode results = evaluate(TWO_INPUTS,
                event("o-1", "/apis/v1alpha1/namespaces/default/eventsources/shop#orders", "shop.order", "{\"id\": \"a\"}"),
                event("p-1", "/apis/v1alpha1/namespaces/default/eventsources/shop#payments", "shop.payment",
                        "{\"orderId\": \"a\", \"amount\": 5}"));

        assertThat(results.get(0).path("inputs").toString()).isEqualTo("[\"order\"]");
        assertThat(results.get(0).path("subscribers").get(0).path("matched").asBoolean()).isFalse();
        JsonNode paid = results.get(1).path("subscribers");
        assertThat(paid.get(0).path("matched").asBoolean()).isTrue();
        assertThat(paid.get(0).path("condition").path("value").asBoolean()).isTrue();
        assertThat(paid.get(1).path("filters").get(0).path("value").asBoolean()).isTrue();
        assertThat(paid.get(1).path("condition").path("value").asBoolean()).as("amount 5 > 10").isFalse();
    }

    @Test
    void aFilterThatRefusesTheEventLeavesTheConditionUnevaluated() {
        JsonNode subscriber = evaluate(TWO_INPUTS, event("o-1", "/x", "shop.order", "{\"amount\": 50}", "order"))
                .get(0).path("subscribers").get(1);

        assertThat(subscriber.path("filters").get(0).path("filter").asText()).isEqualTo("{\"exact\":{\"type\":\"shop.payment\"}}");
        assertThat(subscriber.path("filters").get(0).path("value").asBoolean()).isFalse();
        assertThat(subscriber.path("condition").path("value").isNull()).isTrue();
        assertThat(subscriber.path("matched").asBoolean()).isFalse();
    }

    @Test
    void aConditionThatCannotReadTheEventGivesItsErrorAndDoesNotMatch() {
        JsonNode condition = evaluate(TWO_INPUTS, event("p-1", "/x", "shop.payment", "{}", "payment"))
                .get(0).path("subscribers").get(1).path("condition");

        assertThat(condition.path("value").asText()).startsWith("error: ");
        assertThat(condition.path("error").asText()).contains("amount");
    }

    @Test
    void badInputIsRefusedWithALineThatNamesIt() {
        assertThatThrownBy(() -> evaluate(TWO_INPUTS.replace("event.data.amount > 10", "event.data.amount >"),
                event("o", "/x", "t", "{}", "order")))
                .isInstanceOf(ApiException.class).hasMessageContaining("spec.subscribers[1].condition");
        assertThatThrownBy(() -> evaluate(TWO_INPUTS, event("o", "/x", "t", "{}")))
                .hasMessageContaining("sluiceinput").extracting(e -> ((ApiException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> dryRun.evaluate(TWO_INPUTS, List.of("{\"id\": 1}")))
                .hasMessageStartingWith("events[0] is not a structured CloudEvent");
    }

    private JsonNode evaluate(String trigger, String... events) {
        Map<String, Object> answer = dryRun.evaluate(trigger, List.of(events));
        return JSON.valueToTree(answer).path("results");
    }

    private static String event(String id, String source, String type, String data, String... input) {
        return """
                {"specversion": "1.0", "id": "%s", "source": "%s", "type": "%s", "datacontenttype": "application/json",
                 %s"data": %s}
                """.formatted(id, source, type, input.length == 0 ? "" : "\"sluiceinput\": \"" + input[0] + "\", ", data);
    }
}
