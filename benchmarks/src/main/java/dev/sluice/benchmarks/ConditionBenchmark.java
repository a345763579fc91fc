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
 * order id). The event's variables are built once per event for all subscribers, so they are built in setup here,
 * and their cost is measured on its own ({@code eventVariables}, beside a hand-written read of the one field).
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

    /** What the trigger does once per event before any condition: the event as CEL sees it, JSON data parsed. */
    @Benchmark
    public Map<String, Object> eventVariables() {
        return EventVariables.of(order);
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
