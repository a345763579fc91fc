package dev.sluice.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
import dev.sluice.resources.ResourceLogLevel;
import dev.sluice.secrets.Secrets;
import dev.sluice.sink.SinkOwner;
import dev.sluice.sink.SinkRefResolver;
import dev.sluice.sink.SinkTarget;
import dev.sluice.sink.Sinks;
import io.smallrye.common.annotation.Identifier;

/**
 * Runs the adapters of every EventSource: adding, changing or removing one event starts, restarts or stops
 * that adapter alone. Conditions: {@code BusResolved} (the bus exists and has the event topics), {@code SinkResolved}
 * (the sink's uri, or its ref read through the Kubernetes API; a bus and a sink both get every event) and
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
    SinkRefResolver refs;

    @Inject
    Secrets secrets;

    /** What runs for each event: the adapter type and the spec and destination it was started with. */
    private record Running(EventSourceAdapter<?> adapter, String fingerprint) {
    }

    /**
     * One adapter of one event: OpenFunction lets two source types use the same event name (a kafka and a cron
     * {@code sample-three}), and both then feed that event's topic or sink.
     */
    private record Slot(String type, EventKey key) {
    }

    private final Map<Slot, Running> running = new HashMap<>();
    /** The connection states each EventSource's status was last written with. */
    private final Map<ResourceKey, Map<Slot, Condition>> reportedStates = new HashMap<>();
    /** EventSources whose sink.ref did not resolve yet; they are reconciled again until it does. */
    private final Set<ResourceKey> unresolvedRefs = ConcurrentHashMap.newKeySet();

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
            ResourceLogLevel.apply("eventsource", namespace, name, spec.getLogLevel());
            if (spec.getEventBus() == null && spec.getSink() == null) {
                throw new InvalidSpecException(Reasons.DESTINATION_MISSING, "spec.eventBus",
                        "set spec.eventBus (publish to a bus) or spec.sink (call a function directly)");
            }
            Destination destination = destinationOf(resource.key(), spec);
            List<String> problems = new ArrayList<>();
            Map<Slot, Runnable> starts = new HashMap<>();
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
            List<Condition> conditions = new ArrayList<>(destination.prepare(
                    starts.keySet().stream().map(Slot::key).distinct().toList()));
            // adapters run even while the bus is down: requests then get 503, not 404
            starts.values().forEach(Runnable::run);
            reportedStates.put(resourceKey, statesOf(resourceKey));
            conditions.add(sourcesReady(resourceKey, problems));
            unresolvedRefs.remove(resourceKey);
            return conditions;
        } catch (SinkRefResolver.Unresolved e) {
            // the referenced object may appear or become addressable: needsReconcile asks for another try
            delete(resource.key());
            unresolvedRefs.add(resource.key());
            throw e;
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
        for (Map.Entry<Slot, Condition> state : statesOf(resource).entrySet()) {
            if (!state.getValue().isTrue()) {
                reason = reason == null ? state.getValue().getReason() : reason;
                disconnected.add("spec." + state.getKey().type() + "." + state.getKey().key().event()
                        + ": " + state.getValue().getMessage());
            }
        }
        return reason == null ? Condition.ok(ConditionTypes.SOURCES_READY, Reasons.RUNNING)
                : Condition.failed(ConditionTypes.SOURCES_READY, reason, String.join("; ", disconnected));
    }

    /** The connection state of every running event of one EventSource, in event order. */
    private Map<Slot, Condition> statesOf(ResourceKey resource) {
        Map<Slot, Condition> states = new TreeMap<>(Comparator.comparing((Slot s) -> s.key().event()).thenComparing(Slot::type));
        running.forEach((slot, run) -> {
            if (slot.key().namespace().equals(resource.namespace()) && slot.key().eventSource().equals(resource.name())) {
                states.put(slot, run.adapter().state(slot.key()));
            }
        });
        return states;
    }

    /** A source that lost (or regained) its upstream since the last reconcile makes the status say so. */
    @Override
    public boolean needsReconcile(EventSource resource) {
        ResourceKey key = resource.key();
        if (unresolvedRefs.contains(key)) {
            return true;
        }
        Map<Slot, Condition> reported = reportedStates.get(key);
        return reported != null && !sameStates(reported, statesOf(key));
    }

    private static boolean sameStates(Map<Slot, Condition> a, Map<Slot, Condition> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Objects.equals(
                e.getValue().getStatus() + e.getValue().getReason(),
                b.get(e.getKey()).getStatus() + b.get(e.getKey()).getReason()));
    }

    private <S> void plan(EventSourceAdapter<S> adapter, ResourceKey resource, EventSourceSpec spec,
            Destination destination, Map<Slot, Runnable> starts, List<String> problems) {
        for (Map.Entry<String, S> event : adapter.events(spec).entrySet()) {
            EventKey key = new EventKey(resource.namespace(), resource.name(), event.getKey());
            Slot slot = new Slot(adapter.type(), key);
            key.topic("spec." + adapter.type() + "." + event.getKey()); // fails the resource on a name the bus cannot take
            EventPublisher publisher = destination.publisherFor(key);
            // a digest of the spec and the Secrets it names: a changed password restarts the event
            String fingerprint = adapter.type() + secrets.fingerprint(resource.namespace(), event.getValue())
                    + publisher.identity();
            starts.put(slot, () -> {
                Running current = running.get(slot);
                if (current != null && current.fingerprint().equals(fingerprint)) {
                    return;
                }
                if (current != null) {
                    current.adapter().stop(key);
                }
                try {
                    adapter.start(key, event.getValue(), publisher);
                    running.put(slot, new Running(adapter, fingerprint));
                    LOG.infof("Started %s source %s -> %s", adapter.type(), key, publisher.identity());
                } catch (InvalidSpecException e) {
                    running.remove(slot);
                    problems.add(e.getMessage());
                }
            });
        }
    }

    /** Where an EventSource's events go: its bus, straight to its sink, or both (as OpenFunction does). */
    private interface Destination {
        EventPublisher publisherFor(EventKey key);

        /** Gets the destination ready for these events; the conditions it returns say how that went. */
        List<Condition> prepare(Collection<EventKey> keys);
    }

    private Destination destinationOf(ResourceKey resource, EventSourceSpec spec) {
        String namespace = resource.namespace();
        String name = resource.name();
        Optional<Buses.Resolved> bus = spec.getEventBus() == null ? Optional.empty()
                : Optional.of(buses.resolve(namespace, spec.getEventBus(), "spec.eventBus"));
        if (bus.isPresent()) {
            buses.use(resource, bus.get());
        } else {
            buses.release(resource);
        }
        // the same retry rules as a Trigger's sink: broker-fed sources retry a retryable refusal until it
        // passes, the HTTP source answers it with 503 so that its client retries
        Optional<SinkPublisher> sink = Optional.ofNullable(spec.getSink()).map(s -> new SinkPublisher(sinks.open(
                sinkTarget(namespace, s), SinkOwner.withoutBus(namespace, name), Sinks.DEFAULT_TIMEOUT)));
        Logger log = ResourceLogLevel.logger("eventsource", namespace, name);
        return new Destination() {
            @Override
            public EventPublisher publisherFor(EventKey key) {
                Optional<EventPublisher> toBus = bus.map(b -> new BusPublisher(b, key.topic()));
                EventPublisher target = toBus.isPresent() && sink.isPresent()
                        ? new BusAndSinkPublisher(toBus.get(), sink.get())
                        : toBus.isPresent() ? toBus.get() : sink.orElseThrow();
                return new LoggingPublisher(target, log);
            }

            @Override
            public List<Condition> prepare(Collection<EventKey> keys) {
                List<Condition> conditions = new ArrayList<>();
                bus.ifPresent(b -> conditions.add(ensureTopics(b, keys)));
                sink.ifPresent(s -> conditions.add(Condition.ok(ConditionTypes.SINK_RESOLVED, Reasons.RESOLVED)));
                return conditions;
            }
        };
    }

    /** The sink's uri, or the address of the object its ref names, read through the Kubernetes API. */
    private SinkTarget sinkTarget(String namespace, SinkSpec sink) {
        boolean hasUri = sink.getUri() != null && !sink.getUri().isBlank();
        if (hasUri && sink.getRef() != null) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, "spec.sink", "set uri or ref, not both");
        }
        if (sink.getRef() != null) {
            return new SinkTarget(SinkSpec.URI, refs.resolve(sink.getRef(), namespace, "spec.sink.ref"), "spec.sink.ref");
        }
        if (!hasUri) {
            throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, "spec.sink.uri", "a sink needs a uri or a ref");
        }
        return new SinkTarget(SinkSpec.URI, sink.getUri(), "spec.sink.uri");
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

    private void stopAllBut(String namespace, String name, Collection<Slot> keep) {
        List<Slot> gone = running.keySet().stream()
                .filter(s -> s.key().namespace().equals(namespace) && s.key().eventSource().equals(name))
                .filter(s -> !keep.contains(s)).toList();
        for (Slot slot : gone) {
            running.remove(slot).adapter().stop(slot.key());
            LOG.infof("Stopped %s source %s", slot.type(), slot.key());
        }
    }

    @Override
    public void delete(ResourceKey key) {
        stopAllBut(key.namespace(), key.name(), List.of());
        reportedStates.remove(key);
        unresolvedRefs.remove(key);
        buses.release(key);
    }

    /** Stops every event at once: each stop may wait for its events in flight, and shutdown has 30 s in all. */
    @Override
    public void stopAll() {
        ParallelClose.all("event-source", running.entrySet().stream()
                .map(run -> (AutoCloseable) () -> run.getValue().adapter().stop(run.getKey().key())).toList());
        running.clear();
    }
}
