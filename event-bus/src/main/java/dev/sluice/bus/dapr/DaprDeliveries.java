package dev.sluice.bus.dapr;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.cloudevents.CloudEvent;
import io.dapr.v1.DaprAppCallbackProtos.TopicEventResponse.TopicEventResponseStatus;

import dev.sluice.concurrent.DaemonThreads;

/**
 * Every event the sidecar delivered, from its first delivery until its outcome is forgotten: which subscriptions
 * it was handed to and how each did. The answer for a delivery is SUCCESS once every subscription reached an
 * outcome (delivered, filtered out, dead-lettered), RETRY while one is still pending or failed, DROP only for a
 * message that is not a CloudEvent and so can never be processed.
 *
 * <p>
 * A redelivery of an event (the same source and id on the same topic) joins what is already under way: a
 * pending outcome is awaited again, a failed subscription is handed the event again, and one that already
 * succeeded is not, so that answering RETRY never delivers twice to a sink that already has the event.
 */
final class DaprDeliveries implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DaprDeliveries.class);
    /** Outcomes remembered at most, so that a flood of events cannot exhaust memory. */
    private static final int MAX_REMEMBERED = 10_000;

    /** One event and its outcome per subscription; guarded by itself. */
    private static final class Tracked {
        final Map<DaprBusSubscription, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
        volatile long touchedNanos = System.nanoTime();

        synchronized boolean isSettled() {
            return outcomes.values().stream().allMatch(CompletableFuture::isDone);
        }
    }

    private final Duration outcomeWait;
    private final Duration memory;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("sluice-dapr-deliveries"));

    /**
     * @param outcomeWait how long a delivery waits for its outcome before the answer is RETRY
     * @param memory how long an outcome is remembered for redeliveries
     */
    DaprDeliveries(Duration outcomeWait, Duration memory) {
        this.outcomeWait = outcomeWait;
        this.memory = memory;
        long every = Math.max(100, Math.min(memory.toMillis() / 2, 10_000));
        sweeper.scheduleWithFixedDelay(this::forgetOld, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Hands an event to the subscriptions of its topic, or joins its earlier delivery.
     *
     * @param where the pub/sub component and topic, for keys and logs
     * @return the answer for the sidecar; never fails
     */
    CompletableFuture<TopicEventResponseStatus> deliver(String where, CloudEvent event,
            List<DaprBusSubscription> subscribers, String topic) {
        String key = where + "/" + event.getSource() + "/" + event.getId();
        Tracked entry = tracked.computeIfAbsent(key, k -> new Tracked());
        CompletableFuture<Void> all;
        synchronized (entry) {
            entry.touchedNanos = System.nanoTime();
            for (DaprBusSubscription subscriber : subscribers) {
                CompletableFuture<Void> previous = entry.outcomes.get(subscriber);
                if (previous == null || previous.isCompletedExceptionally()) {
                    entry.outcomes.put(subscriber, subscriber.handle(topic, event));
                }
            }
            all = CompletableFuture.allOf(entry.outcomes.values().toArray(CompletableFuture[]::new));
        }
        return all.handle((ok, error) -> {
            if (error == null) {
                return TopicEventResponseStatus.SUCCESS;
            }
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            LOG.warnf("Event %s on %s failed for a subscriber, answering RETRY: %s", event.getId(), where,
                    cause.getMessage());
            return TopicEventResponseStatus.RETRY;
        }).completeOnTimeout(TopicEventResponseStatus.RETRY, outcomeWait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((status, error) -> {
                    if (status == TopicEventResponseStatus.RETRY && !all.isDone()) {
                        LOG.debugf("Event %s on %s still pending after %d ms, answering RETRY", event.getId(), where,
                                outcomeWait.toMillis());
                    }
                });
    }

    /** How many events are remembered, pending or settled. */
    int size() {
        return tracked.size();
    }

    private void forgetOld() {
        try {
            long now = System.nanoTime();
            tracked.entrySet().removeIf(e -> e.getValue().isSettled()
                    && now - e.getValue().touchedNanos > memory.toNanos());
            if (tracked.size() > MAX_REMEMBERED) {
                tracked.entrySet().stream().filter(e -> e.getValue().isSettled())
                        .sorted(Comparator.comparingLong(e -> e.getValue().touchedNanos))
                        .limit(tracked.size() - (long) MAX_REMEMBERED).map(Map.Entry::getKey).toList()
                        .forEach(tracked::remove);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Forgetting old Dapr deliveries failed: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
