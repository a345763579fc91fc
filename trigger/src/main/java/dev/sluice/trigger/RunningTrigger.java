package dev.sluice.trigger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.sluice.bus.Bus;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.BusTable;
import dev.sluice.concurrent.ParallelClose;
import dev.sluice.trigger.cel.EventVariables;

/**
 * One generation of a Trigger at work on one bus: its subscribers, each with a consumer group of its own that holds
 * its position, all offered the events of the bus's one shared reader of their inputs. An event is done for a
 * subscriber, and its group may commit it, once that subscriber reached its outcome for it; a subscriber whose sink
 * is down for minutes drops out of the shared reader to a consumer of its own, and holds up no other.
 */
final class RunningTrigger implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RunningTrigger.class);
    private static final ThreadLocal<LastVariables> LAST_VARIABLES = ThreadLocal.withInitial(LastVariables::new);

    private final String name;
    private final TriggerPlan plan;
    private final List<SubscriberRoute> routes;
    private final TriggerMeters meters;
    private final String windowsKey;
    private final Optional<BusTable> windowsTable;
    private final List<BusSubscription> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Bus bus;

    /**
     * @param windowsKey where the subscribers' windows are kept in {@code windowsTable}, {@link CorrelationWindows#keyOf}
     * @param windowsTable the bus table of the windows; empty where the bus keeps none
     * @param bus the bus it consumes from, which replays and dead letters read again
     */
    RunningTrigger(String name, TriggerPlan plan, List<SubscriberRoute> routes, TriggerMeters meters, String windowsKey,
            Optional<BusTable> windowsTable, Bus bus) {
        this.name = name;
        this.plan = plan;
        this.routes = List.copyOf(routes);
        this.meters = meters;
        this.windowsKey = windowsKey;
        this.windowsTable = windowsTable;
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

    /** How many of its subscribers read on a consumer of their own now, having fallen behind. */
    int onTheirOwn() {
        return (int) subscriptions.stream().filter(BusSubscription::isOnItsOwn).count();
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
        return new BusEventHandler() {
            @Override
            public CompletionStage<Void> handle(BusEvent busEvent) {
                if (index == 0) {
                    meters.received(busEvent.event());
                }
                List<String> inputs = plan.inputsByTopic().getOrDefault(busEvent.topic(), List.of());
                Map<String, Object> variables;
                try {
                    variables = variablesOf(busEvent);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Event %s of %s at %s@%d could not be read; dropped", busEvent.event().getId(),
                            route.name(), busEvent.stream(), busEvent.offset());
                    route.dropped();
                    return CompletableFuture.completedFuture(null);
                }
                return offer(route, busEvent, inputs, variables);
            }

            /** Reads back the subscriber's windows of the partitions this replica takes over. */
            @Override
            public void assigned(Set<Integer> partitions) {
                Map<String, byte[]> stored;
                try {
                    stored = windowsTable.map(table -> table.read(windowsKey + index + "/")).orElse(Map.of());
                } catch (RuntimeException e) {
                    // the bus's own trouble: the subscriber goes on, with the correlations of these partitions forgotten
                    LOG.errorf(e, "%s could not read its correlation windows; partitions %s start empty", route.name(),
                            partitions);
                    stored = Map.of();
                }
                route.windows().restore(partitions, stored);
            }
        };
    }

    /**
     * The variables of {@code busEvent}, made once for every subscriber it is offered to: a shared reader offers
     * one decoded event to each Trigger on its input in turn, on its own thread, so the last one made on this
     * thread is the one to reuse when the event is the same.
     */
    private static Map<String, Object> variablesOf(BusEvent busEvent) {
        LastVariables last = LAST_VARIABLES.get();
        if (last.event != busEvent) {
            last.event = null; // nothing kept for an event whose variables cannot be made
            last.variables = EventVariables.of(busEvent.event());
            last.event = busEvent;
        }
        return last.variables;
    }

    private static final class LastVariables {
        private BusEvent event;
        private Map<String, Object> variables;
    }

    /** Deletes the saved windows of every subscriber: the Trigger is gone, and one made again starts empty. */
    void forgetWindows() {
        windowsTable.ifPresent(table -> {
            try {
                table.read(windowsKey).keySet().forEach(key -> table.put(key, null));
            } catch (RuntimeException e) {
                LOG.warnf("%s: its correlation windows stay in the bus table: %s", name, e.getMessage());
            }
        });
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
            // in memory only: a replay's windows are its own, and never saved over the live ones
            copies.add(routes.get(i).forReplay(new CorrelationWindows(windowsKey + i + "/", plan.generation(),
                    planned.window(), clock, Optional.empty()), DeliveryLane.of(planned.delivery().policy())));
        }
        return copies;
    }

    /** Stops consuming; events in flight reach their outcome and are committed first. */
    @Override
    public void close() {
        ParallelClose.all("subscriber", List.copyOf(subscriptions));
    }
}
