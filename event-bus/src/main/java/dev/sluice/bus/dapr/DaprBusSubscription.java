package dev.sluice.bus.dapr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusEventHandler;
import dev.sluice.bus.BusSubscription;
import io.cloudevents.CloudEvent;

/**
 * One consumer group on the Dapr bus. Dapr has no group of its own within an app (the app id is the group), so
 * each delivery is handed to every subscription of its topic ({@link DaprSubscriptions}), and this one passes it
 * to its handler. A Dapr topic has no partitions: each topic is one ordered stream, numbered in arrival order.
 */
final class DaprBusSubscription implements BusSubscription {
    private static final Logger LOG = Logger.getLogger(DaprBusSubscription.class);
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final String pubsubName;
    private final String group;
    private final List<String> topics;
    private final Map<String, String> metadata;
    private final BusEventHandler handler;
    private final DaprSubscriptions subscriptions;
    private final Consumer<DaprBusSubscription> onClosed;
    private final Map<String, Long> arrivals = new HashMap<>();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    DaprBusSubscription(String pubsubName, String group, List<String> topics, Map<String, String> metadata,
            BusEventHandler handler, DaprSubscriptions subscriptions, Consumer<DaprBusSubscription> onClosed) {
        this.pubsubName = pubsubName;
        this.group = group;
        this.topics = List.copyOf(topics);
        this.metadata = Map.copyOf(metadata);
        this.handler = handler;
        this.subscriptions = subscriptions;
        this.onClosed = onClosed;
    }

    /**
     * Hands one delivered event to the handler. Calls are serialised because a handler takes events one at a
     * time, in the order they arrive (its correlation windows depend on it); the outcome is still awaited
     * concurrently.
     *
     * @return completes once the event reached its outcome for this group; fails when the handler failed
     */
    synchronized CompletableFuture<Void> handle(String topic, CloudEvent event) {
        long offset = arrivals.merge(topic, 1L, Long::sum) - 1;
        CompletableFuture<Void> outcome;
        try {
            outcome = handler.handle(new BusEvent(topic, 0, offset, event)).toCompletableFuture();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> tracked = outcome;
        inFlight.add(tracked);
        tracked.whenComplete((ok, error) -> inFlight.remove(tracked));
        return tracked;
    }

    String pubsubName() {
        return pubsubName;
    }

    String group() {
        return group;
    }

    List<String> topics() {
        return topics;
    }

    /** The EventBus's {@code spec.dapr.metadata}, for the sidecar's subscription. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** True once the sidecar has been told about every topic of this group and delivers them. */
    @Override
    public boolean isAssigned() {
        return !closed && subscriptions.undelivered(pubsubName, topics).isEmpty();
    }

    @Override
    public Optional<String> waitingFor() {
        List<String> undelivered = subscriptions.undelivered(pubsubName, topics);
        return undelivered.isEmpty() ? Optional.empty()
                : Optional.of(subscriptions.whyUndelivered(pubsubName, undelivered));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriptions.unsubscribe(this);
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warnf("Subscription %s on %s closed with events still in flight: %s", group, topics, e.getMessage());
        }
        onClosed.accept(this);
    }

    @Override
    public String toString() {
        return group + "@" + pubsubName + topics;
    }
}
