package dev.sluice.trigger.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cel.runtime.CelEvaluationException;
import dev.sluice.api.InvalidSpecException;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;

class TriggerConditionTest {
    private static final List<String> INPUTS = List.of("order", "payment");

    static Stream<Arguments> conditions() {
        CloudEvent big = order("{\"amount\": 150, \"customer\": {\"tier\": \"gold\"}, \"items\": [1, 2]}");
        CloudEvent small = order("{\"amount\": 99.5}");
        CloudEvent odd = order("{\"amount\": 12345678901234567890, \"note\": null, \"paid\": true}");
        CloudEvent text = CloudEventBuilder.v1(big).withDataContentType("text/plain")
                .withData("amount=150".getBytes(StandardCharsets.UTF_8)).build();
        Set<String> onlyOrder = Set.of("order");
        Set<String> both = Set.of("order", "payment");
        return Stream.of(
                Arguments.of("", onlyOrder, big, true),
                Arguments.of("order", onlyOrder, big, true),
                Arguments.of("payment", onlyOrder, big, false),
                Arguments.of("order && payment", onlyOrder, big, false),
                Arguments.of("order && payment", both, big, true),
                Arguments.of("order || payment", Set.of("payment"), big, true),
                Arguments.of("order && event.data.amount > 100", onlyOrder, big, true),
                Arguments.of("order && event.data.amount > 100", onlyOrder, small, false),
                Arguments.of("event.data.amount > 99", onlyOrder, small, true),
                Arguments.of("event.data.customer.tier == 'gold'", onlyOrder, big, true),
                Arguments.of("event.data.items.exists(i, i == 2)", onlyOrder, big, true),
                Arguments.of("event.type == 'shop.order.created'", onlyOrder, big, true),
                Arguments.of("event.type == 'shop.order.cancelled'", onlyOrder, big, false),
                Arguments.of("event.source.startsWith('/shop')", onlyOrder, big, true),
                Arguments.of("event.region == 'eu'", onlyOrder, big, true),
                Arguments.of("has(event.subject)", onlyOrder, big, false),
                Arguments.of("event.data == 'amount=150'", onlyOrder, text, true),
                Arguments.of("type(event.data.amount) == int && event.data.amount == 150", onlyOrder, big, true),
                Arguments.of("type(event.data.amount) == double", onlyOrder, odd, true),
                Arguments.of("event.data.note == null && event.data.paid", onlyOrder, odd, true),
                Arguments.of("has(event.data.customer.tier) && !has(event.data.customer.name)", onlyOrder, big, true),
                Arguments.of("size(event.data) == 3 && type(event.data) == map && 'items' in event.data", onlyOrder,
                        big, true),
                Arguments.of("event.data.items == [1, 2] && event.data.customer == {'tier': 'gold'}", onlyOrder, big,
                        true),
                Arguments.of("'order' in inputs && inputs.order.data.amount == 150", onlyOrder, big, true),
                Arguments.of("event.data.amount > 100 && event.data['amount'] == 150", onlyOrder, big, true),
                Arguments.of("has(event.data.customer) && event.data.customer.tier == 'gold'", onlyOrder, big,
                        true),
                Arguments.of("order && event.type.startsWith('shop')", onlyOrder, order("{\"amount\": 1"), true));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("conditions")
    void evaluates(String expression, Set<String> held, CloudEvent event, boolean expected) throws Exception {
        TriggerCondition condition = TriggerCondition.compile(expression, INPUTS, "spec.subscribers[0].condition");

        boolean matched = condition.test(held, EventVariables.of(event),
                () -> Map.of("order", EventVariables.of(event)));

        assertThat(matched).isEqualTo(expected);
    }

    static Stream<Arguments> compileErrors() {
        return Stream.of(
                Arguments.of("order &&", "mismatched input"),
                Arguments.of("shipment", "undeclared reference to 'shipment'"),
                Arguments.of("event.data.amount + 1", "expected type 'bool'"),
                Arguments.of("order > 1", "found no matching overload"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compileErrors")
    void aConditionThatDoesNotCompileNamesTheFieldAndCelsError(String expression, String celError) {
        assertThatThrownBy(() -> TriggerCondition.compile(expression, INPUTS, "spec.subscribers[2].condition"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.reason()).isEqualTo("ConditionInvalid");
                    assertThat(e.field()).isEqualTo("spec.subscribers[2].condition");
                    assertThat(e.getMessage()).startsWith("spec.subscribers[2].condition: does not compile")
                            .contains(celError).doesNotContain("\n");
                });
    }

    static Stream<Arguments> runtimeErrors() {
        return Stream.of(
                Arguments.of("event.data.missing > 1", order("{\"amount\": 1}")),
                Arguments.of("event.data.customer.tier == 'gold'", order("{\"customer\": {}}")),
                Arguments.of("event.subject == 'a'", order("{}")),
                Arguments.of("event.data.amount > 1", order("not json at all")),
                // JSON in name only is text to every condition, whether it selects fields or takes the whole data
                Arguments.of("event.data.amount > 1", order("{\"amount\": 150, \"pad\": ")),
                Arguments.of("size(event.data) > 0 && event.data.amount > 1", order("{\"amount\": 150, \"pad\": ")),
                Arguments.of("event.data.amount / 0 > 1", order("{\"amount\": 1}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimeErrors")
    void aConditionThatFailsOnAnEventThrowsForTheCallerToCount(String expression, CloudEvent event) {
        TriggerCondition condition = TriggerCondition.compile(expression, INPUTS, "spec.subscribers[0].condition");

        assertThatThrownBy(() -> condition.test(Set.of("order"), EventVariables.of(event), Map::of))
                .isInstanceOf(CelEvaluationException.class);
    }

    static Stream<Arguments> dataReads() {
        return Stream.of(
                Arguments.of("order", Set.of()),
                Arguments.of("order && event.type == 'shop.order.created' && has(event.subject)", Set.of()),
                Arguments.of("event.data.amount > 100 && has(event.data.customer.tier)", Set.of("amount", "customer")),
                Arguments.of("inputs.order.data.amount > 100", Set.of()),
                Arguments.of("size(event.data) > 1", null),
                Arguments.of("event.data['amount'] > 1", null),
                Arguments.of("has(event.data)", null),
                Arguments.of("size(event) > 1", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataReads")
    void compilingWorksOutWhichFieldsOfTheDataAConditionReads(String expression, Set<String> fields) {
        assertThat(TriggerCondition.compile(expression, INPUTS, "condition").dataFields()).isEqualTo(fields);
    }

    @Test
    void aConditionOnInputsOrAttributesNeverReadsTheData() throws Exception {
        CountingData data = new CountingData("{\"amount\": 150}");
        EventVariables event = EventVariables.of(CloudEventBuilder.v1(order("{}")).withData("application/json", data)
                .build());

        for (String expression : List.of("order", "event.type == 'shop.order.created'", "'order' in inputs")) {
            assertThat(TriggerCondition.compile(expression, INPUTS, "condition")
                    .test(Set.of("order"), event, () -> Map.of("order", event))).as(expression).isTrue();
        }
        assertThat(data.reads).as("reads of the data").hasValue(0);

        assertThat(TriggerCondition.compile("event.data.amount > 100", INPUTS, "condition")
                .test(Set.of("order"), event, Map::of)).isTrue();
        assertThat(TriggerCondition.compile("event.data.amount < 200", INPUTS, "condition")
                .test(Set.of("order"), event, Map::of)).isTrue();
        assertThat(data.reads).as("one read for both conditions on the same field").hasValue(1);
    }

    /** Event data that counts how often it is read. */
    private static final class CountingData implements CloudEventData {
        private final byte[] bytes;
        private final AtomicInteger reads = new AtomicInteger();

        CountingData(String json) {
            this.bytes = json.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] toBytes() {
            reads.incrementAndGet();
            return bytes;
        }
    }

    /**
     * cel-java's planner runtime keeps one iteration count per evaluation: comprehensions one after the other and
     * nested ones add up, so nesting cannot multiply the budget. 150 items: a {@code map} over them runs 150
     * iterations; the same {@code map} inside another runs 150 + 150 × 150 = 22,650.
     */
    @Test
    void theIterationBudgetBoundsAWholeEvaluationNestedComprehensionsIncluded() throws Exception {
        String items = IntStream.range(0, 150).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Map<String, Object> event = EventVariables.of(order("{\"items\": [" + items + "]}"));
        String one = "event.data.items.map(x, x * 2).size() == 150";
        String twoInARow = one + " && event.data.items.filter(x, x >= 0).size() == 150";
        String nested = "event.data.items.map(x, event.data.items.map(y, x * y)).size() == 150";

        assertThat(budgeted(one, 150).test(Set.of(), event, Map::of)).isTrue();
        assertThatThrownBy(() -> budgeted(one, 149).test(Set.of(), event, Map::of)).isInstanceOf(CelEvaluationException.class)
                .hasMessageContaining("149");
        assertThat(budgeted(twoInARow, 300).test(Set.of(), event, Map::of)).isTrue();
        assertThatThrownBy(() -> budgeted(twoInARow, 299).test(Set.of(), event, Map::of))
                .isInstanceOf(CelEvaluationException.class);
        assertThat(budgeted(nested, 22_650).test(Set.of(), event, Map::of)).isTrue();
        assertThatThrownBy(() -> budgeted(nested, 22_649).test(Set.of(), event, Map::of))
                .isInstanceOf(CelEvaluationException.class);
        assertThatThrownBy(() -> TriggerCondition.compile(nested, INPUTS, "condition").test(Set.of(), event, Map::of))
                .as("the default budget, %s", TriggerCondition.DEFAULT_MAX_ITERATIONS)
                .isInstanceOf(CelEvaluationException.class);
    }

    private static TriggerCondition budgeted(String expression, int maxIterations) {
        return TriggerCondition.compile(expression, INPUTS, "spec.subscribers[0].condition", maxIterations);
    }

    private static CloudEvent order(String json) {
        return CloudEventBuilder.v1().withId("o-1").withSource(URI.create("/shop/orders"))
                .withType("shop.order.created").withExtension("region", "eu")
                .withDataContentType("application/json").withData(json.getBytes(StandardCharsets.UTF_8)).build();
    }
}
