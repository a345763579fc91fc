package dev.sluice.trigger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.trigger.Filter;
import dev.sluice.api.trigger.Subscriber;
import dev.sluice.api.trigger.Trigger;
import dev.sluice.api.trigger.TriggerInput;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.resources.ResourceParser;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.delivery.DeliveryPolicy;
import dev.sluice.trigger.filter.EventFilters;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;

/**
 * A Trigger evaluated against sample events with nothing delivered: which subscribers match each event, with the
 * value of every filter and condition. The compiled plan, filters, condition and correlation window are the
 * service's own, so the answer is what the running Trigger would do with these events in this order. Needs no
 * server and no bus: {@code POST /tests} and the CLI's {@code sluice test} both run it.
 */
public final class DryRun {
    /** Names the input an event arrives on, where its source does not say. */
    public static final String INPUT_EXTENSION = "sluiceinput";
    private static final String UNRESOLVED_REF = "http://sink.ref.not.resolved.in.a.test/";

    private final ObjectMapper json;
    private final ObjectMapper compact;
    private final EventFormat format = new JsonFormat();
    private final int conditionMaxIterations;

    /** @param conditionMaxIterations {@code sluice.trigger.cel.max-iterations} */
    public DryRun(ObjectMapper json, int conditionMaxIterations) {
        this.json = json;
        this.conditionMaxIterations = conditionMaxIterations;
        this.compact = json.copy().setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
    }

    /**
     * @param triggerYaml one Trigger as YAML
     * @param events structured-mode CloudEvents as JSON, in the order they arrive
     * @return {@code {"results": [{"event": id, "subscribers": [...]}]}} (docs/api.md, "Test")
     * @throws ApiException 400 naming what is wrong with the Trigger or an event
     */
    public Map<String, Object> evaluate(String triggerYaml, List<String> events) {
        Trigger trigger = parse(triggerYaml);
        TriggerPlan plan;
        try {
            plan = TriggerPlan.of(trigger, DeliveryPolicy.DEFAULTS, conditionMaxIterations,
                    (ref, namespace, field) -> UNRESOLVED_REF);
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest("the Trigger is not valid: " + e.getMessage());
        }
        List<Subscriber> specs = trigger.getSpec().getSubscribers();
        List<CorrelationWindow> windows = new ArrayList<>();
        plan.subscribers().forEach(s -> windows.add(new CorrelationWindow(s.window(), Clock.systemUTC())));
        List<Map<String, Object>> results = new ArrayList<>();
        for (int e = 0; e < events.size(); e++) {
            CloudEvent event = event(events.get(e), e);
            List<String> inputs = inputsOf(trigger, event, e);
            Map<String, Object> variables = EventVariables.of(event);
            List<Map<String, Object>> subscribers = new ArrayList<>();
            for (int i = 0; i < plan.subscribers().size(); i++) {
                subscribers.add(subscriber(i, specs.get(i), plan.subscribers().get(i), windows.get(i), event, inputs,
                        variables));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("event", event.getId());
            result.put("inputs", inputs);
            result.put("subscribers", subscribers);
            results.add(result);
        }
        return Map.of("results", results);
    }

    private Map<String, Object> subscriber(int index, Subscriber spec, TriggerPlan.PlannedSubscriber planned,
            CorrelationWindow window, CloudEvent event, List<String> inputs, Map<String, Object> variables) {
        String field = "spec.subscribers[" + index + "].filters";
        List<Map<String, Object>> filters = new ArrayList<>();
        boolean passed = true;
        for (int f = 0; f < spec.getFilters().size(); f++) {
            Filter filter = spec.getFilters().get(f);
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("filter", describe(filter));
            try {
                boolean test = EventFilters.allOf(List.of(filter), field).test(event);
                value.put("value", test);
                passed &= test;
            } catch (RuntimeException e) {
                value.put("value", false);
                value.put("error", e.getMessage());
                passed = false;
            }
            filters.add(value);
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("expression", planned.condition().expression());
        boolean matched = false;
        if (!passed) {
            condition.put("value", null);
            condition.put("error", "not evaluated: a filter refused the event, so it is not held either");
        } else {
            window.hold(inputs, event);
            Map<String, CloudEvent> held = window.current();
            try {
                matched = planned.condition().test(held.keySet(), variables, () -> {
                    Map<String, Map<String, Object>> latest = new LinkedHashMap<>();
                    held.forEach((input, e) -> latest.put(input, EventVariables.of(e)));
                    return latest;
                });
                condition.put("value", matched);
            } catch (Exception e) {
                condition.put("value", "error: " + e.getMessage());
                condition.put("error", e.getMessage());
            }
            if (matched) {
                window.clear(); // fire and clear, as the running Trigger does
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("index", index);
        answer.put("matched", matched);
        answer.put("condition", condition);
        answer.put("filters", filters);
        return answer;
    }

    private Trigger parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw ApiException.badRequest("trigger is required: a Trigger as YAML");
        }
        List<ResourceParser.Parsed> parsed = new ResourceParser(json).parse(yaml, "trigger");
        Optional<Trigger> trigger = parsed.stream().map(ResourceParser.Parsed::resource)
                .filter(Trigger.class::isInstance).map(Trigger.class::cast).findFirst();
        if (trigger.isEmpty()) {
            String why = parsed.stream().map(ResourceParser.Parsed::skipped).filter(s -> s != null).findFirst()
                    .orElse("no kind: Trigger document");
            throw ApiException.badRequest("no Trigger in the YAML: " + why);
        }
        if (trigger.get().getSpec() == null) {
            throw ApiException.badRequest("the Trigger is not valid: " + notValid(trigger.get()));
        }
        return trigger.get();
    }

    private static String notValid(SluiceResource<?> resource) {
        return resource.getStatus().getConditions().stream().filter(c -> !c.isTrue()).map(Condition::getMessage)
                .findFirst().orElse("no spec");
    }

    private CloudEvent event(String text, int index) {
        try {
            return format.deserialize(text.getBytes(StandardCharsets.UTF_8));
        } catch (EventDeserializationException | IllegalArgumentException | IllegalStateException e) {
            throw ApiException.badRequest("events[" + index + "] is not a structured CloudEvent: " + e.getMessage());
        }
    }

    /**
     * The inputs an event arrives on: those its {@value #INPUT_EXTENSION} names, else those whose event source
     * and event its source names (as Sluice's sources set it), else the only input.
     */
    private static List<String> inputsOf(Trigger trigger, CloudEvent event, int index) {
        Map<String, TriggerInput> inputs = trigger.getSpec().getInputs();
        Object named = event.getExtension(INPUT_EXTENSION);
        if (named != null) {
            if (!inputs.containsKey(named.toString())) {
                throw ApiException.badRequest("events[" + index + "]: " + INPUT_EXTENSION + " '" + named
                        + "' is not an input; inputs: " + inputs.keySet());
            }
            return List.of(named.toString());
        }
        String namespace = trigger.getMetadata().getNamespace();
        List<String> bySource = inputs.entrySet().stream().filter(input -> {
            TriggerInput in = input.getValue();
            String ns = in.getNamespace() == null || in.getNamespace().isBlank() ? namespace : in.getNamespace();
            return event.getSource().toString().equals(CloudEvents.sourceOf(ns, in.getEventSource(), in.getEvent()));
        }).map(Map.Entry::getKey).toList();
        if (!bySource.isEmpty()) {
            return bySource;
        }
        if (inputs.size() == 1) {
            return List.copyOf(inputs.keySet());
        }
        throw ApiException.badRequest("events[" + index + "] (" + event.getId() + "): say which input it arrives on with"
                + " the extension " + INPUT_EXTENSION + "; inputs: " + inputs.keySet());
    }

    private String describe(Filter filter) {
        try {
            return compact.writeValueAsString(filter);
        } catch (JsonProcessingException e) {
            return String.valueOf(filter);
        }
    }
}
