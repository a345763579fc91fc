package dev.sluice.source;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;

/**
 * Hands events of one source event to its publisher and never gives up on one: a publish that fails or gets no
 * acknowledgement in time is tried again after a wait that doubles up to a cap, until the bus takes it or the
 * adapter stops. This is what lets the Kafka and MQTT sources promise at-least-once: they acknowledge upstream
 * only when {@link #publish} completes, and a stopped adapter acknowledges nothing, so the broker redelivers.
 */
public final class RetryingPublisher {
    private static final Logger LOG = Logger.getLogger(RetryingPublisher.class);

    private final EventKey key;
    private final EventPublisher target;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Counter retries;
    private final Counter refused;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /**
     * @param scheduler runs the retries; the first attempt runs on the caller's thread
     * @param timeout how long one attempt may wait for the acknowledgement
     * @param retries counts every attempt after the first
     * @param refused counts events a sink refused for good (spec.sink only)
     */
    public RetryingPublisher(EventKey key, EventPublisher target, ScheduledExecutorService scheduler, Duration timeout,
            Duration initialBackoff, Duration maxBackoff, Counter retries, Counter refused) {
        this.key = key;
        this.target = target;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.retries = retries;
        this.refused = refused;
    }

    /**
     * @return completes once the bus acknowledged the event; fails with {@link CancellationException} only when
     *         the adapter stopped first
     */
    public CompletableFuture<Void> publish(CloudEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        if (stopped) {
            acknowledged.completeExceptionally(new CancellationException("source " + key + " stopped"));
            return acknowledged;
        }
        pending.add(acknowledged);
        acknowledged.whenComplete((ok, error) -> pending.remove(acknowledged));
        attempt(event, acknowledged, 1);
        return acknowledged;
    }

    private void attempt(CloudEvent event, CompletableFuture<Void> acknowledged, int attempt) {
        if (acknowledged.isDone()) {
            return; // stopped meanwhile
        }
        CompletableFuture<Void> ack;
        try {
            // a copy: the timeout must not complete the publisher's own future, which it may share
            ack = target.publish(event).toCompletableFuture().copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        ack.whenComplete((ok, error) -> {
            if (finalRefusal(error).isPresent()) {
                // spec.sink without a bus has no dead letter: like a Trigger without one, log, count, go on
                LOG.errorf("Event %s of %s dropped: %s, which retrying cannot change", event.getId(), key,
                        finalRefusal(error).get().getMessage());
                refused.increment();
                acknowledged.complete(null);
                return;
            }
            if (error == null) {
                if (attempt > 1) {
                    LOG.infof("Event %s of %s reached topic %s after %d attempts", event.getId(), key, key.topic(), attempt);
                }
                acknowledged.complete(null);
                return;
            }
            Duration wait = backoff(attempt);
            if (attempt == 1) {
                LOG.warnf("Event %s of %s not acknowledged by topic %s (%s); retrying every %d ms at most until it is",
                        event.getId(), key, key.topic(), describe(error), maxBackoff.toMillis());
            } else {
                LOG.debugf("Event %s of %s: attempt %d failed (%s)", event.getId(), key, attempt, describe(error));
            }
            retries.increment();
            try {
                scheduler.schedule(() -> attempt(event, acknowledged, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                acknowledged.completeExceptionally(new CancellationException("source " + key + " stopped"));
            }
        });
    }

    /** Doubles from the initial wait up to the cap. */
    Duration backoff(int failedAttempts) {
        long millis = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    /** Fails every event still waiting for the bus, and any later one, so their upstream acknowledgement never happens. */
    public void stop() {
        stopped = true;
        pending.forEach(p -> p.completeExceptionally(new CancellationException("source " + key + " stopped")));
    }

    private static java.util.Optional<SinkPublisher.SinkRefusedException> finalRefusal(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof SinkPublisher.SinkRefusedException refusal && refusal.isFinal()
                ? java.util.Optional.of(refusal) : java.util.Optional.empty();
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof java.util.concurrent.TimeoutException ? "no acknowledgement in time" : cause.toString();
    }
}
