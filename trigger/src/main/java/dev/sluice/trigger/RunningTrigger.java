package dev.sluice.trigger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.concurrent.ParallelClose;
import dev.sluice.trigger.cel.EventVariables;

/**
 * One generation of a Trigger at work on one bus: its subscribers, each reading the inputs as a consumer group of
 * its own. An event is done for a subscriber, and its group may commit it, once that subscriber reached its outcome
 * for it; so a subscriber whose sink is down for minutes holds up no other subscriber of the Trigger (each
 * group holds at most a bounded number of events in flight, and a shared one would stop reading for all).
 */
final class RunningTrigger implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunningTrigger.class);

    private final String name;
    private final TriggerPlan plan;
    private final List<SubscriberRoute> routes;
    private final TriggerMeters meters;
    private final List<BusSubscription> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Bus bus;

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

    /** How many subscribers, each of which reads through its own {@link #handlerFor handler} and group. */
    int subscriberCount() {
        return routes.size();
    }

    void subscribed(BusSubscription subscription) {
        subscriptions.add(subscription);
    }

    boolean isAssigned() {
        return subscriptions.size() == routes.size() && subscriptions.stream().allMatch(BusSubscription::isAssigned);
    }

    /** What the subscriptions wait for, when their bus says more than "their partitions". */
    Optional<String> waitingFor() {
        return subscriptions.stream().filter(s -> !s.isAssigned()).map(BusSubscription::waitingFor)
                .flatMap(Optional::stream).findFirst();
    }

    /**
     * The handler of subscriber number {@code index}: it offers each event to that subscriber alone. The first
     * subscriber's counts what the Trigger received, since every subscriber's group reads the same events.
     */
    BusEventHandler handlerFor(int index) {
        SubscriberRoute route = routes.get(index);
        return busEvent -> {
            if (index == 0) {
                meters.received(busEvent.event());
            }
            List<String> inputs = plan.inputsByTopic().getOrDefault(busEvent.topic(), List.of());
            Map<String, Object> variables;
            try {
                variables = EventVariables.of(busEvent.event());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Event %s of %s at %s@%d could not be read; dropped", busEvent.event().getId(),
                        route.name(), busEvent.stream(), busEvent.offset());
                route.dropped();
                return CompletableFuture.completedFuture(null);
            }
            return offer(route, busEvent, inputs, variables);
        };
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
        ParallelClose.all("subscriber", List.copyOf(subscriptions));
    }
}
