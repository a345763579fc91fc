package dev.sluice.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Posts order events as binary-mode CloudEvents with at most {@code concurrency} requests in flight,
 * and tallies what came back. Only an event answered 202 counts as accepted: a failed connection, a
 * timeout or any other status does not, even if the event might have reached the bus.
 */
final class Poster {

    private final HttpClient client;
    private final URI ingress;
    private final int concurrency;
    private final Semaphore inFlight;
    private final Map<String, OrderEvent> accepted = new ConcurrentHashMap<>();
    private final Map<String, OrderEvent> attempted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    Poster(HttpClient client, URI ingress, int concurrency) {
        this.client = client;
        this.ingress = ingress;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
    }

    /** Sends one event, first waiting while {@code concurrency} requests are in flight. */
    void post(OrderEvent event) throws InterruptedException {
        inFlight.acquire();
        attempted.put(event.id(), event);
        try {
            client.sendAsync(event.binaryPost(ingress), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        try {
                            record(event, response, failure);
                        } finally {
                            inFlight.release();
                        }
                    });
        } catch (RuntimeException e) {
            record(event, null, e);
            inFlight.release();
        }
    }

    private void record(OrderEvent event, HttpResponse<Void> response, Throwable failure) {
        String outcome;
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            outcome = cause.getClass().getSimpleName();
        } else {
            outcome = String.valueOf(response.statusCode());
            if (response.statusCode() == 202) {
                accepted.put(event.id(), event);
            }
        }
        outcomes.computeIfAbsent(outcome, key -> new LongAdder()).increment();
    }

    /** Blocks until every request sent so far has completed. */
    void awaitIdle() throws InterruptedException {
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** The events answered 202, by id. */
    Map<String, OrderEvent> accepted() {
        return accepted;
    }

    /** Every event sent, whatever the answer, by id. */
    Map<String, OrderEvent> attempted() {
        return attempted;
    }

    /** How many requests ended with each status code or exception class. */
    Map<String, Long> outcomes() {
        Map<String, Long> snapshot = new TreeMap<>();
        outcomes.forEach((outcome, count) -> snapshot.put(outcome, count.sum()));
        return snapshot;
    }

    long failures() {
        return outcomes().entrySet().stream()
                .filter(entry -> !entry.getKey().equals("202"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The ids of the events in {@code events} that match the big-orders condition. */
    static Set<String> bigOrderIds(Map<String, OrderEvent> events) {
        return events.values().stream().filter(OrderEvent::isBig).map(OrderEvent::id)
                .collect(Collectors.toUnmodifiableSet());
    }
}
