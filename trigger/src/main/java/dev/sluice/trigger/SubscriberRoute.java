package dev.sluice.trigger;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.cel.runtime.CelEvaluationException;
import dev.sluice.delivery.Delivery;
import dev.sluice.trigger.cel.ConditionResult;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.cel.TriggerCondition;
import io.cloudevents.CloudEvent;

/**
 * One subscriber of a running Trigger: holds the arriving event in its correlation window, evaluates its
 * condition, and on a match clears the window and delivers the event.
 */
final class SubscriberRoute {
    private static final Logger LOG = Logger.getLogger(SubscriberRoute.class);

    private final String name;
    private final TriggerCondition condition;
    private final CorrelationWindow window;
    private final Delivery delivery;
    private final TriggerMeters meters;

    /**
     * @param name the Trigger and the subscriber's path, for logs: {@code Trigger/ns/name spec.subscribers[0]}
     */
    SubscriberRoute(String name, TriggerCondition condition, CorrelationWindow window, Delivery delivery,
            TriggerMeters meters) {
        this.name = name;
        this.condition = condition;
        this.window = window;
        this.delivery = delivery;
        this.meters = meters;
    }

    /**
     * Offers one event of {@code inputs}; must be called in the order events arrive, since the window's state
     * depends on it. The stage completes once the event reached its outcome for this subscriber.
     */
    CompletionStage<Void> offer(CloudEvent event, Collection<String> inputs, Map<String, Object> variables) {
        window.hold(inputs, event);
        Map<String, CloudEvent> held = window.current();
        ConditionResult result = evaluate(event, held, variables);
        meters.evaluated(result);
        if (!result.matched()) {
            return CompletableFuture.completedFuture(null);
        }
        window.clear();
        long started = System.nanoTime();
        return delivery.deliver(event)
                .thenAccept(outcome -> meters.delivered(outcome.outcome(), Duration.ofNanos(System.nanoTime() - started)));
    }

    private ConditionResult evaluate(CloudEvent event, Map<String, CloudEvent> held, Map<String, Object> variables) {
        try {
            boolean matched = condition.test(held.keySet(), variables, () -> latestEvents(held));
            return matched ? ConditionResult.MATCHED : ConditionResult.UNMATCHED;
        } catch (CelEvaluationException e) {
            // a condition that cannot read this event (a missing field) simply does not match it
            LOG.debugf("Condition '%s' of %s failed on event %s: %s", condition.expression(), name, event.getId(),
                    e.getMessage());
            return ConditionResult.ERROR;
        }
    }

    private static Map<String, Map<String, Object>> latestEvents(Map<String, CloudEvent> held) {
        Map<String, Map<String, Object>> latest = new java.util.HashMap<>();
        held.forEach((input, event) -> latest.put(input, EventVariables.of(event)));
        return latest;
    }

    String name() {
        return name;
    }
}
