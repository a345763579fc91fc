package dev.sluice.trigger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Durations;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.Reference;
import dev.sluice.api.SinkSpec;
import dev.sluice.api.trigger.Subscriber;
import dev.sluice.api.trigger.Trigger;
import dev.sluice.api.trigger.TriggerInput;
import dev.sluice.api.trigger.TriggerSpec;
import dev.sluice.bus.BusNames;
import dev.sluice.sink.SinkTarget;
import dev.sluice.trigger.cel.TriggerCondition;
import dev.sluice.trigger.delivery.DeliveryPlan;
import dev.sluice.trigger.delivery.DeliveryPolicy;
import dev.sluice.trigger.filter.EventFilter;
import dev.sluice.trigger.filter.EventFilters;

/**
 * What one generation of a Trigger's spec compiles to, before any bus or sink is touched: the inputs by topic,
 * and per subscriber its compiled filters and condition, its window, delivery policy and destinations.
 *
 * @param inputsByTopic the input names each topic feeds (two inputs may name the same event)
 */
record TriggerPlan(long generation, Map<String, List<String>> inputsByTopic, List<PlannedSubscriber> subscribers) {
    /** A CEL identifier, so that an input name can be a variable of the condition. */
    private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One destination of a subscriber. A subscriber with both {@code sink} and {@code topic} (as OpenFunction allows)
     * plans as two, one per destination, each with its own outcome and counters; the offset waits for both.
     *
     * @param field the subscriber's path, e.g. {@code spec.subscribers[0]}, or {@code spec.subscribers[0].topic}
     *        for the topic half of a subscriber with both
     * @param index the subscriber's index in {@code spec.subscribers}
     * @param tag the {@code subscriber} metric tag: the index, with {@code .sink} or {@code .topic} for a half
     */
    record PlannedSubscriber(int index, String field, String tag, EventFilter filter, TriggerCondition condition, Duration window,
            DeliveryPlan delivery) {
    }

    /**
     * Checks the inputs and subscribers and compiles every condition.
     *
     * @param defaults the delivery policy that the Trigger's and its subscribers' {@code delivery} override
     * @throws InvalidSpecException naming the field at fault: {@code ConditionInvalid} for a condition,
     *         {@code SinkNotResolved} for a destination
     */
    static TriggerPlan of(Trigger trigger, DeliveryPolicy defaults) {
        return of(trigger, defaults, TriggerCondition.DEFAULT_MAX_ITERATIONS, (ref, namespace, field) -> {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field, "no resolver for sink.ref; give sink.uri");
        });
    }

    /**
     * As {@link #of(Trigger, DeliveryPolicy)}, resolving each {@code sink.ref} and {@code deadLetterSink.ref}
     * with {@code refs}.
     *
     * @param conditionMaxIterations {@code sluice.trigger.cel.max-iterations}, for every condition
     */
    static TriggerPlan of(Trigger trigger, DeliveryPolicy defaults, int conditionMaxIterations, RefResolver refs) {
        return new TriggerPlan(trigger.generation(), inputsByTopic(trigger),
                subscribers(trigger, defaults, conditionMaxIterations, refs));
    }

    /** Turns a {@code ref} into a URI, e.g. {@link dev.sluice.sink.SinkRefResolver#resolve}. */
    @FunctionalInterface
    interface RefResolver {
        String resolve(Reference ref, String defaultNamespace, String field);
    }

    private static Map<String, List<String>> inputsByTopic(Trigger trigger) {
        TriggerSpec spec = trigger.getSpec();
        if (spec.getInputs().isEmpty()) {
            throw new InvalidSpecException(Reasons.INPUTS_MISSING, "spec.inputs", "a Trigger needs at least one input");
        }
        if (spec.getSubscribers().isEmpty()) {
            throw new InvalidSpecException(Reasons.SUBSCRIBERS_MISSING, "spec.subscribers",
                    "a Trigger needs at least one subscriber");
        }
        Map<String, List<String>> byTopic = new LinkedHashMap<>();
        spec.getInputs().forEach((name, input) -> {
            String field = "spec.inputs." + name;
            if (!INPUT_NAME.matcher(name).matches() || TriggerCondition.RESERVED.contains(name)) {
                throw new InvalidSpecException(Reasons.INPUT_INVALID, field, "an input name must be a CEL identifier other than "
                        + TriggerCondition.RESERVED);
            }
            if (input == null || blank(input.getEventSource()) || blank(input.getEvent())) {
                throw new InvalidSpecException(Reasons.INPUT_INVALID, field, "an input needs eventSource and event");
            }
            byTopic.computeIfAbsent(topicOf(trigger, input, field), t -> new ArrayList<>()).add(name);
        });
        return byTopic;
    }

    private static List<PlannedSubscriber> subscribers(Trigger trigger, DeliveryPolicy defaults,
            int conditionMaxIterations, RefResolver refs) {
        TriggerSpec spec = trigger.getSpec();
        DeliveryPolicy triggerPolicy = defaults.overriddenBy(spec.getDelivery(), "spec.delivery");
        List<PlannedSubscriber> planned = new ArrayList<>();
        for (int i = 0; i < spec.getSubscribers().size(); i++) {
            Subscriber subscriber = spec.getSubscribers().get(i);
            String field = "spec.subscribers[" + i + "]";
            if (subscriber == null) {
                throw new InvalidSpecException(Reasons.SUBSCRIBER_INVALID, field, "empty subscriber");
            }
            EventFilter filter = EventFilters.allOf(subscriber.getFilters(), field + ".filters");
            TriggerCondition condition;
            try {
                condition = TriggerCondition.compile(subscriber.getCondition(), spec.getInputs().keySet(),
                        field + ".condition", conditionMaxIterations);
            } catch (InvalidSpecException e) {
                throw e.within(ConditionTypes.CONDITION_COMPILED);
            }
            Duration window = Durations.parse(subscriber.getWindow(), CorrelationWindow.DEFAULT_LENGTH, field + ".window");
            DeliveryPolicy policy = triggerPolicy.overriddenBy(subscriber.getDelivery(), field + ".delivery");
            boolean both = subscriber.getSink() != null && !blank(subscriber.getTopic());
            try {
                Optional<SinkTarget> deadLetter = deadLetter(subscriber, field, trigger, refs);
                for (SinkTarget target : targets(subscriber, field, trigger, refs)) {
                    boolean toSink = SinkSpec.URI.equals(target.type());
                    String half = toSink ? "sink" : "topic";
                    DeliveryPlan delivery = new DeliveryPlan(target, deadLetter,
                            toSink ? replies(subscriber, field) : Optional.empty(), policy);
                    planned.add(new PlannedSubscriber(i, both ? field + "." + half : field,
                            both ? i + "." + half : String.valueOf(i), filter, condition, window, delivery));
                }
            } catch (InvalidSpecException e) {
                throw e.within(ConditionTypes.SINK_RESOLVED);
            }
        }
        return planned;
    }

    /** The sink, the topic, or both (OpenFunction delivers to both). */
    private static List<SinkTarget> targets(Subscriber subscriber, String field, Trigger trigger, RefResolver refs) {
        List<SinkTarget> targets = new ArrayList<>();
        if (subscriber.getSink() != null) {
            targets.add(uri(subscriber.getSink(), field + ".sink", trigger, refs));
        }
        if (!blank(subscriber.getTopic())) {
            targets.add(new SinkTarget(SinkSpec.TOPIC, subscriber.getTopic(), field + ".topic"));
        }
        if (targets.isEmpty()) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field, "a subscriber needs a sink or a topic");
        }
        return targets;
    }

    private static Optional<SinkTarget> deadLetter(Subscriber subscriber, String field, Trigger trigger,
            RefResolver refs) {
        boolean hasTopic = !blank(subscriber.getDeadLetterTopic());
        if (subscriber.getDeadLetterSink() != null && hasTopic) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field, "set deadLetterSink or deadLetterTopic, not both");
        }
        if (hasTopic) {
            return Optional.of(new SinkTarget(SinkSpec.TOPIC, subscriber.getDeadLetterTopic(), field + ".deadLetterTopic"));
        }
        return Optional.ofNullable(subscriber.getDeadLetterSink())
                .map(s -> uri(s, field + ".deadLetterSink", trigger, refs));
    }

    private static Optional<SinkTarget> replies(Subscriber subscriber, String field) {
        if (blank(subscriber.getReplyTopic())) {
            return Optional.empty();
        }
        if (subscriber.getSink() == null) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field + ".replyTopic",
                    "only a sink replies; a subscriber with a topic has no replies to forward");
        }
        return Optional.of(new SinkTarget(SinkSpec.TOPIC, subscriber.getReplyTopic(), field + ".replyTopic"));
    }

    private static SinkTarget uri(SinkSpec sink, String field, Trigger trigger, RefResolver refs) {
        if (!blank(sink.getUri()) && sink.getRef() != null) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field, "set uri or ref, not both");
        }
        if (sink.getRef() != null) {
            String ref = field + ".ref";
            return new SinkTarget(SinkSpec.URI, refs.resolve(sink.getRef(), trigger.getMetadata().getNamespace(), ref),
                    ref);
        }
        if (blank(sink.getUri())) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, field + ".uri", "a sink needs a uri or a ref");
        }
        return new SinkTarget(SinkSpec.URI, sink.getUri(), field + ".uri");
    }

    private static String topicOf(Trigger trigger, TriggerInput input, String field) {
        String namespace = blank(input.getNamespace()) ? trigger.getMetadata().getNamespace() : input.getNamespace();
        return BusNames.topic(namespace, input.getEventSource(), input.getEvent(), field);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
