package dev.sluice.trigger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.cel.runtime.CelEvaluationException;
import dev.sluice.bus.BusEvent;
import dev.sluice.tracing.EventTracing;
import dev.sluice.trigger.cel.ConditionResult;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.cel.TriggerCondition;
import dev.sluice.trigger.delivery.Delivery;
import dev.sluice.trigger.delivery.DeliveryOutcome;
import dev.sluice.trigger.delivery.DeliveryResult;
import dev.sluice.trigger.filter.EventFilter;
import dev.sluice.trigger.filter.FilterException;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * One subscriber of a running Trigger: drops events its filters refuse, holds the others in its correlation
 * window, evaluates its condition, and on a match clears the window and hands the event to its delivery lane.
 */
final class SubscriberRoute {
    private static final Logger LOG = Logger.getLogger(SubscriberRoute.class);

    private final String name;
    private final EventFilter filter;
    private final TriggerCondition condition;
    private final CorrelationWindow window;
    private final Delivery delivery;
    private final DeliveryLane lane;
    private final TriggerMeters.Subscriber meters;
    private final EventTracing tracing;
    private final Logger eventLog;

    /**
     * @param name the Trigger and the subscriber's path, for logs: {@code Trigger/ns/name spec.subscribers[0]}
     * @param eventLog the Trigger's own category for per-event lines, whose level its {@code spec.logLevel} sets
     */
    SubscriberRoute(String name, EventFilter filter, TriggerCondition condition, CorrelationWindow window,
            Delivery delivery, DeliveryLane lane, TriggerMeters.Subscriber meters, EventTracing tracing,
            Logger eventLog) {
        this.eventLog = eventLog;
        this.name = name;
        this.filter = filter;
        this.condition = condition;
        this.window = window;
        this.delivery = delivery;
        this.lane = lane;
        this.meters = meters;
        this.tracing = tracing;
    }

    /**
     * Offers one event of {@code inputs}; must be called in the order events arrive, since the window's state
     * depends on it. The stage completes once the event reached its outcome for this subscriber: empty when the
     * subscriber did not take the event.
     *
     * @param variables the event as the condition sees it
     */
    CompletionStage<Optional<DeliveryOutcome>> offer(BusEvent busEvent, Collection<String> inputs, Map<String, Object> variables) {
        CloudEvent event = busEvent.event();
        ConditionResult result = tracing.enabled() ? tracedEvaluate(event, inputs, variables)
                : evaluate(event, inputs, variables);
        meters.evaluated(result, event);
        if (!result.matched()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        window.clear();
        eventLog.debugf("%s matched event %s; delivering to %s", name, event.getId(), delivery.destination());
        long started = System.nanoTime();
        if (!tracing.enabled()) {
            return lane.submit(busEvent.stream(), () -> delivery.deliver(event))
                    .thenApply(outcome -> delivered(outcome, Duration.ofNanos(System.nanoTime() - started), event));
        }
        Span span = tracing.start("deliver " + name, SpanKind.INTERNAL, null);
        span.setAttribute("sluice.destination", delivery.destination());
        // the lane may start the delivery later, on the thread that finished another one
        Context deliverContext = Context.current().with(span);
        return EventTracing.endWhenDone(span, lane.submit(busEvent.stream(), () -> {
            try (Scope ignored = deliverContext.makeCurrent()) {
                return delivery.deliver(event);
            }
        }).thenApply(outcome -> {
            span.setAttribute("sluice.outcome", outcome.outcome().tag());
            return delivered(outcome, Duration.ofNanos(System.nanoTime() - started), event);
        }));
    }

    private ConditionResult tracedEvaluate(CloudEvent event, Collection<String> inputs, Map<String, Object> variables) {
        Span span = tracing.start("evaluate " + name, SpanKind.INTERNAL, null);
        try {
            ConditionResult result = evaluate(event, inputs, variables);
            span.setAttribute("sluice.outcome", result.tag());
            return result;
        } finally {
            span.end();
        }
    }

    private ConditionResult evaluate(CloudEvent event, Collection<String> inputs, Map<String, Object> variables) {
        try {
            if (!filter.test(event)) {
                return ConditionResult.UNMATCHED; // not for this subscriber: not held either
            }
            window.hold(inputs, event);
            Map<String, CloudEvent> held = window.current();
            boolean matched = condition.test(held.keySet(), variables, () -> latestEvents(held));
            return matched ? ConditionResult.MATCHED : ConditionResult.UNMATCHED;
        } catch (CelEvaluationException | FilterException e) {
            // a condition or filter that cannot read this event (a missing field) simply does not match it
            LOG.debugf("%s could not evaluate event %s: %s", name, event.getId(), e.getMessage());
            return ConditionResult.ERROR;
        }
    }

    /** Counts an event this subscriber could not be offered (unreadable, or the route failed). */
    void dropped() {
        meters.dropped();
    }

    private Optional<DeliveryOutcome> delivered(DeliveryResult result, Duration took, CloudEvent event) {
        eventLog.debugf("%s: %s after %d ms", name, result.outcome().tag(), took.toMillis());
        meters.delivered(result.outcome(), took, event);
        result.reply().ifPresent(reply -> meters.replied(reply.isDelivered()));
        return Optional.of(result.outcome());
    }

    private static Map<String, Map<String, Object>> latestEvents(Map<String, CloudEvent> held) {
        Map<String, Map<String, Object>> latest = new HashMap<>();
        held.forEach((input, event) -> latest.put(input, EventVariables.of(event)));
        return latest;
    }

    String name() {
        return name;
    }

    /**
     * The same subscriber with a window and a lane of its own, for a replay: the live route's held events and
     * order stay as they are. Its deliveries go through the same delivery (retries, dead letter) and meters.
     */
    SubscriberRoute forReplay(CorrelationWindow freshWindow, DeliveryLane freshLane) {
        return new SubscriberRoute(name, filter, condition, freshWindow, delivery, freshLane, meters, tracing, eventLog);
    }

    /** Where this subscriber's events go, with its retries, dead letter and replies. */
    Delivery delivery() {
        return delivery;
    }

    /** The bus topics this subscriber publishes to, to create before the first event. */
    List<String> busTopics() {
        return delivery.busTopics();
    }
}
