package dev.sluice.trigger;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.ResourceKey;
import dev.sluice.api.SinkSpec;
import dev.sluice.bus.BusEvent;
import dev.sluice.bus.BusHistory;
import dev.sluice.cloudevents.CloudEvents;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.sink.SinkTarget;
import dev.sluice.trigger.cel.EventVariables;
import dev.sluice.trigger.cel.TriggerCondition;
import dev.sluice.trigger.delivery.DeliveryOutcome;
import dev.sluice.trigger.delivery.TriggerConfig;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * A Trigger's dead letters as a place to work: those on its subscribers' {@code deadLetterTopic}s, read back
 * from the bus, listed, counted and redriven to the subscriber that refused them. A redriven letter is marked on
 * the topic {@code {deadLetterTopic}.redriven} (one small event per letter, keyed by its position) once its new
 * outcome is final, so no later redrive sends it again and a crash in between sends it twice rather than never.
 * An event that fails again goes back to the dead letter as a new letter. A {@code deadLetterSink} (HTTP) keeps
 * nothing Sluice can read back: such subscribers have no letters here.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    public static final String REDRIVE_EXTENSION = "sluiceredrive";
    /** Outcomes of redriven letters, by {@code namespace}, {@code trigger}, {@code outcome}. */
    static final String REDRIVEN = "sluice.trigger.redriven";
    private static final String MARKER_TYPE = "dev.sluice.deadletter.redriven";
    private static final int READ_IN_FLIGHT = 256;
    private static final int REDRIVE_IN_FLIGHT = 32;
    private static final int EXCERPT_BYTES = 200;

    @Inject
    TriggerReconciler triggers;

    @Inject
    MeterRegistry registry;

    @Inject
    TriggerConfig config;

    private final Map<String, Redrive> redrives = new ConcurrentHashMap<>();
    private final Map<String, ResourceKey> owners = new ConcurrentHashMap<>();

    /** A letter not yet redriven, where it lies, and the subscriber (index) it came from. */
    private record Letter(int subscriber, BusEvent busEvent) {
        String position() {
            return positionOf(busEvent);
        }
    }

    /** {@code {"count": N, "items": [...]}} with at most {@code limit} items, oldest first per partition. */
    public Map<String, Object> list(ResourceKey key, int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        long count = scan(key, letter -> {
            if (items.size() < limit) {
                items.add(view(letter));
            }
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("count", count);
        answer.put("items", items);
        return answer;
    }

    public Map<String, Object> count(ResourceKey key) {
        return Map.of("count", scan(key, letter -> {
        }));
    }

    /**
     * Starts redriving the letters chosen by {@code ids} and {@code condition} (all when both are empty) and
     * answers at once. Blocks on the bus while it chooses them, so call it off the event loop.
     */
    public Map<String, Object> redrive(ResourceKey key, Collection<String> ids, String condition) {
        RunningTrigger run = Replays.running(triggers, key);
        TriggerCondition filter = Replays.compile(condition,
                run.plan().inputsByTopic().values().stream().flatMap(Collection::stream).toList(),
                config.cel().maxIterations());
        Set<String> wanted = Set.copyOf(ids);
        Map<String, Letter> chosen = new ConcurrentHashMap<>();
        scan(key, letter -> {
            CloudEvent event = letter.busEvent().event();
            if ((wanted.isEmpty() || wanted.contains(event.getId())) && matches(filter, event)) {
                chosen.put(letter.position(), letter);
            }
        });
        Redrive redrive = new Redrive(UUID.randomUUID().toString(), chosen.size(),
                outcome -> registry.counter(REDRIVEN, "namespace", key.namespace(), "trigger", key.name(), "outcome",
                        outcome.tag()).increment());
        redrives.put(redrive.id(), redrive);
        owners.put(redrive.id(), key);
        DaemonThreads.named("sluice-redrive-" + redrive.id()).newThread(() -> {
            try {
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(REDRIVE_IN_FLIGHT);
                for (Letter letter : chosen.values()) {
                    inFlight.acquire();
                    send(run, redrive, letter).whenComplete((ok, error) -> inFlight.release());
                }
                inFlight.acquire(REDRIVE_IN_FLIGHT);
                redrive.finished();
                LOG.infof("Redrive %s of %s: %s", redrive.id(), key, redrive.view());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                redrive.failed("interrupted");
            }
        }).start();
        return redrive.view();
    }

    /** @throws ApiException 404 when the Trigger has no redrive of that id */
    public Map<String, Object> get(ResourceKey key, String id) {
        if (!key.equals(owners.get(id))) {
            throw ApiException.notFound("no redrive " + id + " of Trigger " + key.namespace() + "/" + key.name());
        }
        return redrives.get(id).view();
    }

    /** Sends the letter's original event to its subscriber again, then marks the letter, once the outcome is final. */
    private CompletionStage<Void> send(RunningTrigger run, Redrive redrive, Letter letter) {
        CloudEvent original = CloudEventBuilder.from(letter.busEvent().event())
                .withoutExtension(CloudEvents.ERROR_CODE).withoutExtension(CloudEvents.ERROR_DEST)
                .withoutExtension(CloudEvents.ERROR_DATA).withExtension(REDRIVE_EXTENSION, redrive.id()).build();
        return run.routes().get(letter.subscriber()).delivery().deliver(original).<Void> thenCompose(result -> {
            if (result.outcome() == DeliveryOutcome.DROPPED) {
                redrive.counted(result.outcome()); // not marked: the letter stays, to redrive later
                return CompletableFuture.<Void> completedFuture(null);
            }
            CloudEvent marker = CloudEventBuilder.v1().withId(letter.position())
                    .withSource(java.net.URI.create("/sluice/redrives/" + redrive.id())).withType(MARKER_TYPE)
                    .withExtension(CloudEvents.PARTITION_KEY, letter.position()).build();
            return run.bus().publish(markerTopic(letter.busEvent().topic()), marker)
                    .<Void> handle((ok, error) -> {
                        if (error != null) {
                            LOG.warnf("Redrive %s: could not mark letter %s as redriven: %s", redrive.id(),
                                    letter.position(), error.getMessage());
                        }
                        redrive.counted(result.outcome());
                        return null;
                    });
        }).exceptionally(error -> {
            LOG.errorf(error, "Redrive %s: letter %s failed", redrive.id(), letter.position());
            redrive.counted(DeliveryOutcome.DROPPED);
            return null;
        });
    }

    /**
     * Hands every letter not yet redriven of the Trigger's dead-letter topics to {@code each}, on one thread at a
     * time, and counts them.
     */
    private long scan(ResourceKey key, Consumer<Letter> each) {
        RunningTrigger run = Replays.running(triggers, key);
        BusHistory history = Replays.historyOf(run, key);
        Map<String, List<Integer>> subscribersByTopic = letterTopics(run);
        long[] count = {0};
        try {
            if (!subscribersByTopic.isEmpty()) {
                run.bus().ensureTopics(subscribersByTopic.keySet().stream().map(DeadLetters::markerTopic).toList())
                        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            for (Map.Entry<String, List<Integer>> topic : subscribersByTopic.entrySet()) {
                Set<String> redriven = ConcurrentHashMap.newKeySet();
                history.read(history.ranges(List.of(markerTopic(topic.getKey())), Optional.empty(), Optional.empty()),
                        marker -> done(() -> redriven.add(marker.event().getId())), READ_IN_FLIGHT, () -> false);
                history.read(history.ranges(List.of(topic.getKey()), Optional.empty(), Optional.empty()), letter -> {
                    if (!redriven.contains(positionOf(letter))) {
                        synchronized (count) {
                            count[0]++;
                            each.accept(new Letter(subscriberOf(run, topic.getValue(), letter.event()), letter));
                        }
                    }
                    return CompletableFuture.completedFuture(null);
                }, READ_IN_FLIGHT, () -> false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while reading the dead letters");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ApiException(503, "the bus did not answer: " + e.getMessage());
        }
        return count[0];
    }

    private static CompletionStage<Void> done(Runnable action) {
        action.run();
        return CompletableFuture.completedFuture(null);
    }

    /** Dead-letter topic → the subscribers (indexes) that dead-letter to it. */
    private static Map<String, List<Integer>> letterTopics(RunningTrigger run) {
        Map<String, List<Integer>> topics = new LinkedHashMap<>();
        List<TriggerPlan.PlannedSubscriber> subscribers = run.plan().subscribers();
        for (int i = 0; i < subscribers.size(); i++) {
            Optional<SinkTarget> letters = subscribers.get(i).delivery().deadLetter();
            if (letters.isPresent() && SinkSpec.TOPIC.equals(letters.get().type())) {
                topics.computeIfAbsent(letters.get().address().trim(), t -> new ArrayList<>()).add(i);
            }
        }
        return topics;
    }

    /** The subscriber whose destination the letter names, else the first that dead-letters to its topic. */
    private static int subscriberOf(RunningTrigger run, List<Integer> candidates, CloudEvent letter) {
        Object destination = letter.getExtension(CloudEvents.ERROR_DEST);
        for (int i : candidates) {
            if (run.routes().get(i).delivery().destination().equals(String.valueOf(destination))) {
                return i;
            }
        }
        return candidates.get(0);
    }

    private static boolean matches(TriggerCondition filter, CloudEvent event) {
        try {
            return filter.test(Set.of(), EventVariables.of(event), Map::of);
        } catch (Exception e) {
            return false; // a condition that cannot read a letter does not choose it
        }
    }

    private static Map<String, Object> view(Letter letter) {
        CloudEvent event = letter.busEvent().event();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.getId());
        view.put("source", event.getSource().toString());
        view.put("type", event.getType());
        view.put("time", event.getTime() == null ? null : event.getTime().toString());
        view.put("subscriber", letter.subscriber());
        view.put("destination", String.valueOf(event.getExtension(CloudEvents.ERROR_DEST)));
        view.put("errorCode", event.getExtension(CloudEvents.ERROR_CODE));
        view.put("errorData", event.getExtension(CloudEvents.ERROR_DATA));
        view.put("deadLetteredAt", letter.busEvent().timestamp().map(t -> t.atOffset(ZoneOffset.UTC).toString())
                .orElse(null));
        view.put("topic", letter.busEvent().topic());
        view.put("position", letter.position());
        view.put("dataExcerpt", excerpt(event));
        return view;
    }

    private static String excerpt(CloudEvent event) {
        if (event.getData() == null) {
            return null;
        }
        byte[] data = CloudEvents.dataBytes(event);
        String text = new String(data, 0, Math.min(data.length, EXCERPT_BYTES), StandardCharsets.UTF_8);
        return data.length > EXCERPT_BYTES ? text + "…" : text;
    }

    private static String positionOf(BusEvent event) {
        return event.topic() + ":" + event.partition() + ":" + event.offset();
    }

    static String markerTopic(String deadLetterTopic) {
        return deadLetterTopic + ".redriven";
    }
}
