package dev.sluice.benchmarks;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cel.runtime.CelEvaluationException;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.cel.TriggerCondition;
import io.cloudevents.CloudEvent;

/**
 * A subscriber's condition as the trigger evaluates it, each beside the hand-written Java predicate that decides
 * the same on the same event: an input boolean ({@code order}), a data-field comparison
 * ({@code order && event.data.amount > 100}) and a two-input correlation ({@code order && payment} on the same
 * order id).
 * <p>
 * Two ways to compare. {@code cel*} against {@code java*}: the evaluation alone, on variables built and read once in
 * setup, against Java reading the same already parsed values. {@code *PerEvent}: what each arriving event costs, from
 * the event with its data as bytes to the decision, as the trigger meets it: the CEL side builds the event's
 * variables and evaluates (the variables read only {@code amount} out of the JSON); the hand-written side reads the
 * JSON with Jackson's streaming parser, picks {@code amount} and compares. Both read the data to its end: a condition
 * must give the same outcome on JSON that breaks off after the field as on text that is no JSON at all.
 * {@code eventVariables} is the whole event as CEL variables, data parsed into maps, beside Jackson's
 * {@code readTree} of the data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConditionBenchmark {
    private static final Set<String> INPUTS = Set.of("order", "payment");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerCondition inputBoolean;
    private TriggerCondition dataField;
    private TriggerCondition correlation;
    private CloudEvent order;
    private byte[] orderBytes;
    private Map<String, Object> orderVariables;
    private Map<String, Map<String, Object>> held;
    private Supplier<Map<String, Map<String, Object>>> heldSupplier;
    private Set<String> bothHeld;
    private Set<String> orderHeld;

    @Setup
    public void compile() {
        inputBoolean = TriggerCondition.compile("order", INPUTS, "condition");
        dataField = TriggerCondition.compile("order && event.data.amount > 100", INPUTS, "condition");
        correlation = TriggerCondition.compile(
                "order && payment && inputs.order.data.orderId == inputs.payment.data.orderId", INPUTS, "condition");
        order = BenchEvents.order("o-1", "shop.order", 150, "A-1");
        orderBytes = order.getData().toBytes();
        orderVariables = EventVariables.of(order);
        Map<String, Object> paymentVariables = EventVariables.of(BenchEvents.order("p-1", "shop.payment", 150, "A-1"));
        held = Map.of("order", orderVariables, "payment", paymentVariables);
        heldSupplier = () -> held;
        bothHeld = Set.of("order", "payment");
        orderHeld = Set.of("order");
    }

    @Benchmark
    public boolean celInputBoolean() throws CelEvaluationException {
        return inputBoolean.test(orderHeld, orderVariables, heldSupplier);
    }

    @Benchmark
    public boolean javaInputBoolean() {
        return orderHeld.contains("order");
    }

    @Benchmark
    public boolean celDataField() throws CelEvaluationException {
        return dataField.test(orderHeld, orderVariables, heldSupplier);
    }

    @Benchmark
    public boolean javaDataField() {
        return orderHeld.contains("order") && amount(orderVariables) > 100;
    }

    @Benchmark
    public boolean celCorrelation() throws CelEvaluationException {
        return correlation.test(bothHeld, orderVariables, heldSupplier);
    }

    @Benchmark
    public boolean javaCorrelation() {
        Map<String, Map<String, Object>> latest = heldSupplier.get();
        return bothHeld.contains("order") && bothHeld.contains("payment")
                && Objects.equals(field(latest.get("order"), "orderId"), field(latest.get("payment"), "orderId"));
    }

    /** An arriving event through {@code order}: its variables are made and nothing of them is read. */
    @Benchmark
    public boolean celInputBooleanPerEvent() throws CelEvaluationException {
        return inputBoolean.test(orderHeld, EventVariables.of(order), heldSupplier);
    }

    /** An arriving event through {@code order && event.data.amount > 100}: variables made, amount read, compared. */
    @Benchmark
    public boolean celDataFieldPerEvent() throws CelEvaluationException {
        return dataField.test(orderHeld, EventVariables.of(order), heldSupplier);
    }

    /** The hand-written counterpart: stream through the event's JSON data, pick amount, compare. */
    @Benchmark
    public boolean javaDataFieldPerEvent() throws java.io.IOException {
        if (!orderHeld.contains("order")) {
            return false;
        }
        long amount = Long.MIN_VALUE;
        try (JsonParser parser = JSON.getFactory().createParser(order.getData().toBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (name.equals("amount") && token == JsonToken.VALUE_NUMBER_INT) {
                    amount = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
        }
        return amount > 100;
    }

    /** The event as CEL sees it as a whole: attributes and JSON data parsed into maps. */
    @Benchmark
    public Object eventVariables() {
        return EventVariables.of(order).entrySet();
    }

    /** The hand-written counterpart: parse the data and read the one field a condition needs. */
    @Benchmark
    public long javaReadAmount() throws java.io.IOException {
        JsonNode data = JSON.readTree(orderBytes);
        return data.get("amount").asLong();
    }

    private static long amount(Map<String, Object> variables) {
        Object amount = field(variables, "amount");
        return amount instanceof Number n ? n.longValue() : Long.MIN_VALUE;
    }

    @SuppressWarnings("unchecked")
    private static Object field(Map<String, Object> variables, String name) {
        Object data = variables == null ? null : variables.get("data");
        return data instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(name) : null;
    }
}
