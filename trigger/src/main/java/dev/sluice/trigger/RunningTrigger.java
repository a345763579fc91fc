package dev.sluice.trigger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.BusTable;
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
    private final String windowsKey;
    private final Optional<BusTable> windowsTable;
    private volatile BusSubscription subscription;

    /**
     * @param windowsKey where the subscribers' windows are kept in {@code windowsTable}, {@link CorrelationWindows#keyOf}
     * @param windowsTable the bus table of the windows; empty where the bus keeps none
     */
    RunningTrigger(String name, TriggerPlan plan, List<SubscriberRoute> routes, TriggerMeters meters, String windowsKey,
            Optional<BusTable> windowsTable) {
        this.name = name;
        this.plan = plan;
        this.routes = List.copyOf(routes);
        this.meters = meters;
        this.windowsKey = windowsKey;
        this.windowsTable = windowsTable;
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
        meters.received();
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
            return route.offer(busEvent, inputs, variables).toCompletableFuture();
        } catch (RuntimeException e) {
            // the dispatch boundary: one subscriber's failure neither stops the others nor the consumer
            LOG.errorf(e, "Event %s of %s failed; dropped", busEvent.event().getId(), route.name());
            route.dropped();
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Reads back the windows of the partitions this replica takes over, before their first event. */
    @Override
    public void assigned(Set<Integer> partitions) {
        Map<String, byte[]> stored;
        try {
            stored = windowsTable.map(table -> table.read(windowsKey)).orElse(Map.of());
        } catch (RuntimeException e) {
            // the bus's own trouble: the Trigger goes on, with the correlations of these partitions forgotten
            LOG.errorf(e, "%s could not read its correlation windows; partitions %s start empty", name, partitions);
            stored = Map.of();
        }
        Map<String, byte[]> rows = stored;
        routes.forEach(route -> route.windows().restore(partitions, rows));
        LOG.debugf("%s reads partitions %s; %d stored windows", name, partitions, rows.size());
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

    TriggerPlan plan() {
        return plan;
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
