package dev.sluice.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Condition;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.bus.Buses;
import dev.sluice.resources.Reconciler;

/**
 * Runs the adapters of every EventSource: adding, changing or removing one event starts, restarts or stops
 * that adapter alone. Conditions: {@code BusResolved} (the bus exists and has the event topics) and
 * {@code SourcesReady} (every event's adapter runs).
 */
@ApplicationScoped
public class EventSourceReconciler implements Reconciler<EventSource> {
    private static final Logger LOG = Logger.getLogger(EventSourceReconciler.class);
    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    @Any
    Instance<EventSourceAdapter<?>> adapters;

    @Inject
    Buses buses;

    @Inject
    ObjectMapper mapper;

    /** What runs for each event: the adapter type and the spec and destination it was started with. */
    private record Running(EventSourceAdapter<?> adapter, String fingerprint) {
    }

    private final Map<EventKey, Running> running = new HashMap<>();

    @Override
    public boolean serves(SluiceResource<?> resource) {
        return resource instanceof EventSource;
    }

    @Override
    public List<Condition> reconcile(EventSource resource) {
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        EventSourceSpec spec = resource.getSpec();
        try {
            checkFields(spec);
            if (spec.getEventBus() == null && spec.getSink() == null) {
                throw new InvalidSpecException("DestinationMissing", "spec.eventBus",
                        "set spec.eventBus (publish to a bus) or spec.sink (call a function directly)");
            }
            if (spec.getEventBus() == null) {
                throw new InvalidSpecException("SinkNotSupported", "spec.sink",
                        "delivering straight to a sink is not available yet; set spec.eventBus");
            }
            Buses.Resolved bus = buses.resolve(namespace, spec.getEventBus(), "spec.eventBus");
            List<String> problems = new ArrayList<>();
            Map<EventKey, Runnable> starts = new HashMap<>();
            for (EventSourceAdapter<?> adapter : adapters) {
                plan(adapter, new ResourceKey("EventSource", namespace, name), spec, bus, starts, problems);
            }
            for (String type : spec.eventsByType().keySet()) {
                if (!typeNames().contains(type) && !spec.eventsByType().get(type).isEmpty()) {
                    problems.add("spec." + type + ": source type '" + type + "' is not available in this build; known: "
                            + String.join(", ", typeNames()));
                }
            }
            stopAllBut(namespace, name, starts.keySet());
            Condition busCondition = ensureTopics(bus, starts.keySet());
            // adapters run even while the bus is down: requests then get 503, not 404
            starts.values().forEach(Runnable::run);
            return List.of(busCondition, problems.isEmpty() ? Condition.ok("SourcesReady", "Running")
                    : Condition.failed("SourcesReady", "SourceFailed", String.join("; ", problems)));
        } catch (InvalidSpecException e) {
            stopAllBut(namespace, name, List.of());
            throw e;
        }
    }

    private <S> void plan(EventSourceAdapter<S> adapter, ResourceKey resource, EventSourceSpec spec,
            Buses.Resolved bus, Map<EventKey, Runnable> starts, List<String> problems) {
        for (Map.Entry<String, S> event : adapter.events(spec).entrySet()) {
            EventKey key = new EventKey(resource.namespace(), resource.name(), event.getKey());
            BusPublisher publisher = new BusPublisher(bus, key.topic());
            String fingerprint = adapter.type() + json(event.getValue()) + publisher.identity();
            starts.put(key, () -> {
                Running current = running.get(key);
                if (current != null && current.fingerprint().equals(fingerprint)) {
                    return;
                }
                if (current != null) {
                    current.adapter().stop(key);
                }
                try {
                    adapter.start(key, event.getValue(), publisher);
                    running.put(key, new Running(adapter, fingerprint));
                    LOG.infof("Started %s source %s -> topic %s", adapter.type(), key, key.topic());
                } catch (InvalidSpecException e) {
                    running.remove(key);
                    problems.add(e.getMessage());
                }
            });
        }
    }

    private Condition ensureTopics(Buses.Resolved bus, java.util.Collection<EventKey> keys) {
        try {
            bus.bus().ensureTopics(keys.stream().map(EventKey::topic).toList()).toCompletableFuture()
                    .get(TOPICS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Condition.ok("BusResolved", "TopicsReady");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Condition.failed("BusResolved", "Interrupted", "interrupted while creating topics");
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof TimeoutException ? "no answer within " + TOPICS_TIMEOUT.toSeconds() + "s"
                    : e.getCause().getMessage();
            return Condition.failed("BusResolved", "TopicsNotReady", "spec.eventBus: the bus did not create the topics: " + why);
        }
    }

    private void checkFields(EventSourceSpec spec) {
        if (!spec.getUnknownFields().isEmpty()) {
            String field = spec.getUnknownFields().keySet().iterator().next();
            throw new InvalidSpecException("UnknownSourceType", "spec." + field,
                    "unknown source type '" + field + "'; known: " + String.join(", ", spec.eventsByType().keySet()));
        }
    }

    private List<String> typeNames() {
        return adapters.stream().map(EventSourceAdapter::type).sorted().toList();
    }

    private void stopAllBut(String namespace, String name, java.util.Collection<EventKey> keep) {
        List<EventKey> gone = running.keySet().stream()
                .filter(k -> k.namespace().equals(namespace) && k.eventSource().equals(name))
                .filter(k -> !keep.contains(k)).toList();
        for (EventKey key : gone) {
            running.remove(key).adapter().stop(key);
            LOG.infof("Stopped source %s", key);
        }
    }

    @Override
    public void delete(ResourceKey key) {
        stopAllBut(key.namespace(), key.name(), List.of());
    }

    @Override
    public void stopAll() {
        running.forEach((key, run) -> run.adapter().stop(key));
        running.clear();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Objects.toString(value);
        }
    }
}
