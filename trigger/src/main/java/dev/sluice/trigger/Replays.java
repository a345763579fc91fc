package dev.sluice.trigger;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.Durations;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.ResourceKey;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusHistory;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.cel.TriggerCondition;
import dev.sluice.trigger.delivery.TriggerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Replays of Triggers' events: each reads the Trigger's input topics again from a time on, through
 * {@link BusHistory} (outside the Trigger's consumer group), and offers each event to copies of the Trigger's
 * subscribers, which deliver through the live delivery: same retries, same dead letter. Each event carries
 * {@value #EXTENSION} = the replay's id.
 */
@ApplicationScoped
public class Replays {
    private static final Logger LOG = Logger.getLogger(Replays.class);
    public static final String EXTENSION = "sluicereplay";
    /** Outcomes of replayed (event, subscriber) pairs, by {@code namespace}, {@code trigger}, {@code outcome}. */
    static final String REPLAYED = "sluice.trigger.replayed";
    /** Events of one replay on their way to subscribers at once. */
    private static final int IN_FLIGHT = 64;

    @Inject
    TriggerReconciler triggers;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    TriggerConfig config;

    private final Map<String, Replay> replays = new ConcurrentHashMap<>();
    private final Map<String, ResourceKey> owners = new ConcurrentHashMap<>();

    /** What a replay is asked to do; {@code to}, {@code condition} and {@code subscriber} may be null. */
    public record Request(String from, String to, String condition, Integer subscriber) {
    }

    /**
     * Starts a replay and answers at once; blocks on the bus while it finds the ranges, so call it off the event
     * loop.
     *
     * @throws ApiException 404 for a Trigger not running here, 400 for a bad time or condition, 409 for a bus
     *         that keeps no events
     */
    public Map<String, Object> start(ResourceKey key, Request request) {
        RunningTrigger run = running(triggers, key);
        BusHistory history = historyOf(run, key);
        Instant now = clock.instant();
        Instant from = time(request.from(), "from", now).orElseThrow(() -> ApiException.badRequest(
                "from is required: an RFC 3339 time or a duration before now such as 15m"));
        Optional<Instant> to = time(request.to(), "to", now);
        List<SubscriberRoute> routes = run.replayRoutes(clock);
        if (request.subscriber() != null && (request.subscriber() < 0 || request.subscriber() >= routes.size())) {
            throw ApiException.badRequest("subscriber " + request.subscriber() + " is not an index of spec.subscribers (0 to "
                    + (routes.size() - 1) + ")");
        }
        TriggerCondition condition = compile(request.condition(), run.plan().inputsByTopic().values().stream()
                .flatMap(Collection::stream).toList(), config.cel().maxIterations());
        Replay replay = new Replay(UUID.randomUUID().toString(), key, from, to, condition.expression());
        List<BusHistory.Range> ranges = history.ranges(run.plan().inputsByTopic().keySet(), Optional.of(from), to);
        replay.total(ranges.stream().mapToLong(BusHistory.Range::size).sum());
        List<SubscriberRoute> chosen = request.subscriber() == null ? routes : List.of(routes.get(request.subscriber()));
        replays.put(replay.id(), replay);
        owners.put(replay.id(), key);
        DaemonThreads.named("sluice-replay-" + replay.id()).newThread(() -> {
            try {
                history.read(ranges, event -> offer(run, chosen, condition, replay, event), IN_FLIGHT,
                        replay::cancelRequested);
                replay.finished();
                LOG.infof("Replay %s of %s: %s", replay.id(), key, replay.view());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                replay.failed("interrupted");
            } catch (RuntimeException e) {
                LOG.errorf(e, "Replay %s of %s failed", replay.id(), key);
                replay.failed(e.getMessage());
            }
        }).start();
        LOG.infof("Replay %s of %s from %s: %d events", replay.id(), key, from, replay.view().get("total"));
        return replay.view();
    }

    private CompletionStage<Void> offer(RunningTrigger run, List<SubscriberRoute> routes, TriggerCondition condition,
            Replay replay, BusEvent busEvent) {
        replay.scanned.incrementAndGet();
        CloudEvent event = CloudEventBuilder.from(busEvent.event()).withExtension(EXTENSION, replay.id()).build();
        List<String> inputs = run.plan().inputsByTopic().getOrDefault(busEvent.topic(), List.of());
        Map<String, Object> variables;
        try {
            variables = EventVariables.of(event);
            if (!condition.test(Set.copyOf(inputs), variables, Map::of)) {
                return CompletableFuture.completedFuture(null);
            }
        } catch (Exception e) {
            LOG.debugf("Replay %s: the condition could not read event %s: %s", replay.id(), event.getId(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        BusEvent replayed = new BusEvent(busEvent.topic(), busEvent.partition(), busEvent.offset(), event);
        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
        for (SubscriberRoute route : routes) {
            outcomes.add(route.offer(replayed, inputs, variables).toCompletableFuture().thenAccept(outcome -> {
                replay.counted(outcome);
                outcome.ifPresent(o -> registry.counter(REPLAYED, "namespace", replay.key().namespace(), "trigger",
                        replay.key().name(), "outcome", o.tag()).increment());
            }));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
    }

    /** The replays of one Trigger, oldest first is not promised. */
    public List<Map<String, Object>> list(ResourceKey key) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(key)).map(e -> replays.get(e.getKey()).view())
                .toList();
    }

    /** @throws ApiException 404 when the Trigger has no replay of that id */
    public Map<String, Object> get(ResourceKey key, String id) {
        return replayOf(key, id).view();
    }

    /** Asks the replay to stop: no event is read after this; those in flight reach their outcome. */
    public Map<String, Object> cancel(ResourceKey key, String id) {
        Replay replay = replayOf(key, id);
        replay.cancel();
        return replay.view();
    }

    private Replay replayOf(ResourceKey key, String id) {
        if (!key.equals(owners.get(id))) {
            throw ApiException.notFound("no replay " + id + " of Trigger " + key.namespace() + "/" + key.name());
        }
        return replays.get(id);
    }

    static RunningTrigger running(TriggerReconciler triggers, ResourceKey key) {
        return triggers.running(key).orElseThrow(() -> ApiException.notFound("no running Trigger "
                + key.namespace() + "/" + key.name() + " (GET /resources shows why)"));
    }

    static BusHistory historyOf(RunningTrigger run, ResourceKey key) {
        return run.bus().history().orElseThrow(() -> ApiException.conflict("the bus of Trigger " + key.namespace() + "/"
                + key.name() + " keeps no events to read again (only a Kafka bus does)"));
    }

    /** A CEL condition over {@code event} (and the input names), or one that takes everything. */
    static TriggerCondition compile(String expression, Collection<String> inputs, int maxIterations) {
        try {
            return TriggerCondition.compile(expression, Set.copyOf(inputs), "condition", maxIterations);
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** An RFC 3339 time, or a duration before {@code now} ({@code 15m}, {@code PT1H}). */
    static Optional<Instant> time(String text, String field, Instant now) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException notATime) {
            try {
                return Optional.of(now.minus(Durations.parse(text, null, field)));
            } catch (InvalidSpecException e) {
                throw ApiException.badRequest(field + ": '" + text
                        + "' is neither an RFC 3339 time nor a duration such as 15m or PT1H");
            }
        }
    }
}
