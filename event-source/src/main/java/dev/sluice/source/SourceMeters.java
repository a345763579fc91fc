package dev.sluice.source;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one event of one EventSource, looked up once rather than per request:
 * {@code sluice.source.received} (events, by {@code outcome} and status {@code code}) and the histogram
 * {@code sluice.source.ingress.latency} (from the request's arrival to its answer, by {@code outcome}), both
 * tagged with {@code namespace}, {@code eventsource}, {@code event} and the source {@code type}.
 */
public final class SourceMeters {
    public static final String RECEIVED = "sluice.source.received";
    public static final String INGRESS_LATENCY = "sluice.source.ingress.latency";
    public static final String AUTH = "sluice.source.auth";
    /** Stands for the namespace, event source and event of requests that name no event served here. */
    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Tags tags;
    // a handful of status codes and three outcomes at most: bounded
    private final Map<Integer, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> authenticated = new ConcurrentHashMap<>();

    public SourceMeters(MeterRegistry registry, String type, EventKey key) {
        this.registry = registry;
        this.tags = Tags.of("namespace", key.namespace(), "eventsource", key.eventSource(), "event", key.event(),
                "type", type);
    }

    /** The meters of requests for events that are not served: one set for all, so a scan mints no new series. */
    public static SourceMeters unknown(MeterRegistry registry, String type) {
        return new SourceMeters(registry, type, new EventKey(UNKNOWN, UNKNOWN, UNKNOWN));
    }

    /**
     * Counts one answer.
     *
     * @param events how many events the request carried (1 when it was refused before they were read)
     * @param startNanos {@link System#nanoTime()} when the request arrived
     */
    public void answered(int status, int events, long startNanos) {
        received.computeIfAbsent(status, this::counterOf).increment(events);
        latency.computeIfAbsent(outcome(status), this::timerOf).record(System.nanoTime() - startNanos,
                TimeUnit.NANOSECONDS);
    }

    /**
     * Counts one sender check of an event with {@code auth}, in {@code sluice.source.auth} by {@code outcome}:
     * {@code accepted}, {@code missing}, {@code invalid} or {@code bad_signature}.
     */
    public void authenticated(String outcome) {
        authenticated.computeIfAbsent(outcome, o -> Counter.builder(AUTH).tags(tags).tag("outcome", o)
                .description("Sender checks of HTTP events with auth, by outcome").register(registry)).increment();
    }

    /** {@code accepted} (on the bus), {@code unavailable} (the bus did not acknowledge) or {@code rejected}. */
    public static String outcome(int status) {
        return status == 202 ? "accepted" : status == 503 ? "unavailable" : "rejected";
    }

    private Counter counterOf(int status) {
        return Counter.builder(RECEIVED).tags(tags).tag("outcome", outcome(status)).tag("code", String.valueOf(status))
                .description("Events received at ingress, by how they were answered").register(registry);
    }

    private Timer timerOf(String outcome) {
        return Timer.builder(INGRESS_LATENCY).tags(tags).tag("outcome", outcome)
                .description("From a request's arrival to its answer; for accepted ones, the bus acknowledged")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }
}
