package dev.sluice.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SinkSpec;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.bus.Buses;
import dev.sluice.concurrent.ParallelClose;
import dev.sluice.resources.Reconciler;
import dev.sluice.secrets.Secrets;
import dev.sluice.sink.SinkOwner;
import dev.sluice.sink.SinkTarget;
import dev.sluice.sink.Sinks;
import io.smallrye.common.annotation.Identifier;

/**
 * Runs the adapters of every EventSource: adding, changing or removing one event starts, restarts or stops
 * that adapter alone. Conditions: {@code BusResolved} (the bus exists and has the event topics) and
 * {@code SourcesReady} (every event's adapter runs and is connected to its upstream; an adapter that is not
 * keeps running and reconnects by itself, and its reason, such as {@code BrokerUnreachable}, shows here).
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
    Sinks sinks;

    @Inject
    Secrets secrets;

    /** What runs for each event: the adapter type and the spec and destination it was started with. */
    private record Running(EventSourceAdapter<?> adapter, String fingerprint) {
    }

    private final Map<EventKey, Running> running = new HashMap<>();
    /** The connection states each EventSource's status was last written with. */
    private final Map<ResourceKey, Map<EventKey, Condition>> reportedStates = new HashMap<>();

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
                throw new InvalidSpecException(Reasons.DESTINATION_MISSING, "spec.eventBus",
                        "set spec.eventBus (publish to a bus) or spec.sink (call a function directly)");
            }
            Destination destination = destinationOf(resource.key(), spec);
            List<String> problems = new ArrayList<>();
            Map<EventKey, Runnable> starts = new HashMap<>();
            ResourceKey resourceKey = resource.key();
            spec.eventsByType().forEach((type, events) -> {
                if (events == null || events.isEmpty()) {
                    return;
                }
                Instance<EventSourceAdapter<?>> adapter = adapters.select(Identifier.Literal.of(type));
                if (adapter.isResolvable()) {
                    plan(adapter.get(), resourceKey, spec, destination, starts, problems);
                } else {
                    problems.add("spec." + type + ": source type '" + type + "' is not available in this build; known: "
                            + String.join(", ", typeNames()));
                }
            });
            stopAllBut(namespace, name, starts.keySet());
            Condition destinationCondition = destination.prepare(starts.keySet());
            // adapters run even while the bus is down: requests then get 503, not 404
            starts.values().forEach(Runnable::run);
            reportedStates.put(resourceKey, statesOf(resourceKey));
            return List.of(destinationCondition, sourcesReady(resourceKey, problems));
        } catch (InvalidSpecException e) {
            delete(resource.key());
            throw e;
        }
    }

    /** Spec problems first; else the first adapter that is not connected gives its reason, all give their messages. */
    private Condition sourcesReady(ResourceKey resource, List<String> problems) {
        if (!problems.isEmpty()) {
            return Condition.failed(ConditionTypes.SOURCES_READY, Reasons.SOURCE_FAILED, String.join("; ", problems));
        }
        List<String> disconnected = new ArrayList<>();
        String reason = null;
        for (Map.Entry<EventKey, Condition> state : statesOf(resource).entrySet()) {
            if (!state.getValue().isTrue()) {
                reason = reason == null ? state.getValue().getReason() : reason;
                disconnected.add("spec." + running.get(state.getKey()).adapter().type() + "." + state.getKey().event()
                        + ": " + state.getValue().getMessage());
            }
        }
        return reason == null ? Condition.ok(ConditionTypes.SOURCES_READY, Reasons.RUNNING)
                : Condition.failed(ConditionTypes.SOURCES_READY, reason, String.join("; ", disconnected));
    }

    /** The connection state of every running event of one EventSource, in event order. */
    private Map<EventKey, Condition> statesOf(ResourceKey resource) {
        Map<EventKey, Condition> states = new TreeMap<>(Comparator.comparing(EventKey::event));
        running.forEach((key, run) -> {
            if (key.namespace().equals(resource.namespace()) && key.eventSource().equals(resource.name())) {
                states.put(key, run.adapter().state(key));
            }
        });
        return states;
    }

    /** A source that lost (or regained) its upstream since the last reconcile makes the status say so. */
    @Override
    public boolean needsReconcile(EventSource resource) {
        ResourceKey key = resource.key();
        Map<EventKey, Condition> reported = reportedStates.get(key);
        return reported != null && !sameStates(reported, statesOf(key));
    }

    private static boolean sameStates(Map<EventKey, Condition> a, Map<EventKey, Condition> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Objects.equals(
                e.getValue().getStatus() + e.getValue().getReason(),
                b.get(e.getKey()).getStatus() + b.get(e.getKey()).getReason()));
    }

    private <S> void plan(EventSourceAdapter<S> adapter, ResourceKey resource, EventSourceSpec spec,
            Destination destination, Map<EventKey, Runnable> starts, List<String> problems) {
        for (Map.Entry<String, S> event : adapter.events(spec).entrySet()) {
            EventKey key = new EventKey(resource.namespace(), resource.name(), event.getKey());
            key.topic("spec." + adapter.type() + "." + event.getKey()); // fails the resource on a name the bus cannot take
            EventPublisher publisher = destination.publisherFor(key);
            // a digest of the spec and the Secrets it names: a changed password restarts the event
            String fingerprint = adapter.type() + secrets.fingerprint(resource.namespace(), event.getValue())
                    + publisher.identity();
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
                    LOG.infof("Started %s source %s -> %s", adapter.type(), key, publisher.identity());
                } catch (InvalidSpecException e) {
                    running.remove(key);
                    problems.add(e.getMessage());
                }
            });
        }
    }

    /** Where an EventSource's events go: its bus, or straight to its sink. */
    private interface Destination {
        EventPublisher publisherFor(EventKey key);

        /** Gets the destination ready for these events; the condition it returns says how that went. */
        Condition prepare(Collection<EventKey> keys);
    }

    private Destination destinationOf(ResourceKey resource, EventSourceSpec spec) {
        String namespace = resource.namespace();
        String name = resource.name();
        if (spec.getEventBus() != null) {
            Buses.Resolved bus = buses.resolve(namespace, spec.getEventBus(), "spec.eventBus");
            buses.use(resource, bus);
            return new Destination() {
                @Override
                public EventPublisher publisherFor(EventKey key) {
                    return new BusPublisher(bus, key.topic());
                }

                @Override
                public Condition prepare(Collection<EventKey> keys) {
                    return ensureTopics(bus, keys);
                }
            };
        }
        buses.release(resource);
        SinkSpec sink = spec.getSink();
        if (sink.getUri() == null || sink.getUri().isBlank()) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, "spec.sink.uri",
                    "a sink needs a uri; sink.ref is not resolved by the event-source service");
        }
        // the same retry rules as a Trigger's sink: broker-fed sources retry a retryable refusal until it
        // passes, the HTTP source answers it with 503 so that its client retries
        SinkPublisher publisher = new SinkPublisher(sinks.open(new SinkTarget(SinkSpec.URI, sink.getUri(),
                "spec.sink.uri"), SinkOwner.withoutBus(namespace, name), Sinks.DEFAULT_TIMEOUT));
        return new Destination() {
            @Override
            public EventPublisher publisherFor(EventKey key) {
                return publisher;
            }

            @Override
            public Condition prepare(Collection<EventKey> keys) {
                return Condition.ok(ConditionTypes.SINK_RESOLVED, Reasons.RESOLVED);
            }
        };
    }

    private Condition ensureTopics(Buses.Resolved bus, Collection<EventKey> keys) {
        try {
            bus.bus().ensureTopics(keys.stream().map(EventKey::topic).toList()).toCompletableFuture()
                    .get(TOPICS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Condition.ok(ConditionTypes.BUS_RESOLVED, Reasons.TOPICS_READY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Condition.failed(ConditionTypes.BUS_RESOLVED, Reasons.INTERRUPTED, "interrupted while creating topics");
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof TimeoutException ? "no answer within " + TOPICS_TIMEOUT.toSeconds() + "s"
                    : e.getCause().getMessage();
            return Condition.failed(ConditionTypes.BUS_RESOLVED, Reasons.TOPICS_NOT_READY, "spec.eventBus: the bus did not create the topics: " + why);
        }
    }

    private void checkFields(EventSourceSpec spec) {
        if (!spec.getUnknownFields().isEmpty()) {
            String field = spec.getUnknownFields().keySet().iterator().next();
            throw new InvalidSpecException(Reasons.UNKNOWN_SOURCE_TYPE, "spec." + field,
                    "unknown source type '" + field + "'; known: " + String.join(", ", spec.eventsByType().keySet()));
        }
    }

    private List<String> typeNames() {
        return adapters.stream().map(EventSourceAdapter::type).sorted().toList();
    }

    private void stopAllBut(String namespace, String name, Collection<EventKey> keep) {
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
        reportedStates.remove(key);
        buses.release(key);
    }

    /** Stops every event at once: each stop may wait for its events in flight, and shutdown has 30 s in all. */
    @Override
    public void stopAll() {
        ParallelClose.all("event-source", running.entrySet().stream()
                .map(run -> (AutoCloseable) () -> run.getValue().adapter().stop(run.getKey())).toList());
        running.clear();
    }
}
