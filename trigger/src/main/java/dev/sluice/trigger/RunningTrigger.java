package dev.sluice.trigger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.trigger.cel.EventVariables;

/**
 * One generation of a Trigger at work on one bus: its consumer group and its subscribers. An event is done,
 * and may be committed, once every subscriber reached its outcome for it.
 */
final class RunningTrigger implements BusEventHandler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunningTrigger.class);

    private final String name;
    private final TriggerPlan plan;
    private final List<SubscriberRoute> routes;
    private final TriggerMeters meters;
    private final Bus bus;
    private volatile BusSubscription subscription;

    /**
     * @param bus the bus it consumes from, which replays and dead letters read again
     */
    RunningTrigger(String name, TriggerPlan plan, List<SubscriberRoute> routes, TriggerMeters meters, Bus bus) {
        this.name = name;
        this.plan = plan;
        this.routes = List.copyOf(routes);
        this.meters = meters;
        this.bus = bus;
    }

    void subscribed(BusSubscription subscription) {
        this.subscription = subscription;
    }

    boolean isAssigned() {
        BusSubscription current = subscription;
        return current != null && current.isAssigned();
    }

    /** What the subscription waits for, when its bus says more than "its partitions". */
    Optional<String> waitingFor() {
        BusSubscription current = subscription;
        return current == null ? Optional.empty() : current.waitingFor();
    }

    @Override
    public CompletionStage<Void> handle(BusEvent busEvent) {
        meters.received(busEvent.event());
        List<String> inputs = plan.inputsByTopic().getOrDefault(busEvent.topic(), List.of());
        Map<String, Object> variables;
        try {
            variables = EventVariables.of(busEvent.event());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Event %s of %s at %s@%d could not be read; dropped", busEvent.event().getId(), name,
                    busEvent.stream(), busEvent.offset());
            routes.forEach(SubscriberRoute::dropped);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] outcomes = routes.stream()
                .map(route -> offer(route, busEvent, inputs, variables))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(outcomes);
    }

    private CompletableFuture<Void> offer(SubscriberRoute route, BusEvent busEvent, List<String> inputs,
            Map<String, Object> variables) {
        try {
            return route.offer(busEvent, inputs, variables).toCompletableFuture().thenApply(outcome -> null);
        } catch (RuntimeException e) {
            // the dispatch boundary: one subscriber's failure neither stops the others nor the consumer
            LOG.errorf(e, "Event %s of %s failed; dropped", busEvent.event().getId(), route.name());
            route.dropped();
            return CompletableFuture.completedFuture(null);
        }
    }

    TriggerPlan plan() {
        return plan;
    }

    Bus bus() {
        return bus;
    }

    /** The live subscribers, in the order of {@code spec.subscribers}. */
    List<SubscriberRoute> routes() {
        return routes;
    }

    /** The subscribers again, each with an empty window and a lane of its own: what a replay offers events to. */
    List<SubscriberRoute> replayRoutes(Clock clock) {
        List<SubscriberRoute> copies = new java.util.ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            TriggerPlan.PlannedSubscriber planned = plan.subscribers().get(i);
            copies.add(routes.get(i).forReplay(new CorrelationWindow(planned.window(), clock),
                    DeliveryLane.of(planned.delivery().policy())));
        }
        return copies;
    }

    /** Stops consuming; events in flight reach their outcome and are committed first. */
    @Override
    public void close() {
        BusSubscription current = subscription;
        if (current != null) {
            current.close();
        }
    }
}
