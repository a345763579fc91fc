package dev.sluice.bus;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.eventbus.ClusterEventBus;
import dev.sluice.api.eventbus.EventBus;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.api.eventbus.KafkaBusSpec;
import dev.sluice.api.kinds.ResourceKind;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.concurrent.ParallelClose;
import dev.sluice.config.SluiceConfig;
import dev.sluice.flow.RecentEvents;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.secrets.Secrets;
import dev.sluice.tracing.EventTracing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Resolves the bus a resource names and keeps one open connection per distinct bus spec and credentials (keyed by
 * a digest of both, never by the spec itself, which may hold a password). An EventBus in the
 * resource's namespace wins over a ClusterEventBus of the same name; where an embedded broker runs, a
 * {@code default} bus that no resource defines is that broker.
 * <p>
 * Each resource says which bus it holds ({@link #use}) and lets go of it when it stops ({@link #release}). A
 * connection that no resource holds any longer (its EventBus was deleted, or its spec changed, which makes a new
 * connection) is closed a little later, on a thread of its own; readiness counts only the buses that an
 * EventSource or a Trigger holds.
 */
@ApplicationScoped
public class Buses {
    private static final Logger LOG = Logger.getLogger(Buses.class);
    public static final String DEFAULT = "default";

    @Inject
    @Any
    Instance<BusBinding> bindings;

    @Inject
    ResourceCatalog catalog;

    @Inject
    LocalKafkaBroker local;

    @Inject
    Secrets secrets;

    @Inject
    SluiceConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    EventTracing tracing;

    /** How long a connection that nothing holds stays open, in case a reconcile in progress takes it up again. */
    static final Duration UNUSED_GRACE = Duration.ofSeconds(5);

    @Inject
    RecentEvents recentEvents;

    private final Map<String, Bus> open = new ConcurrentHashMap<>();
    /** Which bus each resource holds, by identity. */
    private final Map<ResourceKey, String> holders = new ConcurrentHashMap<>();
    /** When each connection was last handed out: a resource that just resolved it is about to hold it. */
    private final Map<String, Long> handedOut = new ConcurrentHashMap<>();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("sluice-bus-closer"));

    /** OpenFunction's only bus binding, which Sluice explains instead of serving. */
    static final String NATS_STREAMING = "natsStreaming";

    /** A bus resolved for a resource: {@code identity} changes whenever the connection would. */
    public record Resolved(String identity, Bus bus) {
    }

    /**
     * @param field the path of the field that names the bus, for the error
     * @throws InvalidSpecException {@code BusNotFound} when no bus of that name exists, or the bus's own error
     */
    public Resolved resolve(String namespace, String name, String field) {
        String busName = nameOf(name);
        Optional<EventBus> local = catalog.find(EventBus.class, namespace, busName);
        if (local.isPresent()) {
            return open(local.get().getSpec(), namespace);
        }
        EventBusSpec spec = catalog.find(ClusterEventBus.class, null, busName).map(ClusterEventBus::getSpec)
                .or(() -> embeddedDefault(busName))
                .orElseThrow(() -> new InvalidSpecException(Reasons.BUS_NOT_FOUND, field, "no EventBus '" + busName
                        + "' in namespace '" + namespace + "' and no ClusterEventBus of that name"));
        return open(spec, config.resources().clusterSecretsNamespace());
    }

    /** The bus a resource names in its {@code eventBus}: {@value #DEFAULT} when it names none. */
    public static String nameOf(String eventBus) {
        return eventBus == null || eventBus.isBlank() ? DEFAULT : eventBus;
    }

    /**
     * Opens (or reuses) the connection for a spec; the EventBus reconciler calls it to validate.
     *
     * @param namespace where the Secrets the spec names live: the EventBus's namespace, or for a ClusterEventBus
     *        {@code sluice.resources.cluster-secrets-namespace}
     */
    public Resolved open(EventBusSpec spec, String namespace) {
        if (spec == null) {
            throw new InvalidSpecException(Reasons.SPEC_MISSING, "spec", "an event bus needs spec.kafka or spec.dapr");
        }
        List<String> named = spec.bindingNames();
        if (named.contains(NATS_STREAMING)) {
            throw new InvalidSpecException(Reasons.NATS_STREAMING_RETIRED, "spec." + NATS_STREAMING,
                    "NATS Streaming (STAN) is end-of-life upstream and Sluice has no binding for it; replace spec."
                            + NATS_STREAMING + " by spec.kafka: {brokers: ...} (a Kafka EventBus), or by spec.dapr:"
                            + " {pubsubName: ...} naming a Dapr pubsub.jetstream Component (NATS JetStream); see"
                            + " docs/install.md, 'Moving off natsStreaming'");
        }
        for (String name : named) {
            if (!bindings.select(Identifier.Literal.of(name)).isResolvable()) {
                throw new InvalidSpecException(Reasons.UNKNOWN_BINDING, "spec." + name,
                        "unknown bus binding '" + name + "'; known: " + knownNames());
            }
        }
        if (named.size() != 1) {
            throw new InvalidSpecException(named.isEmpty() ? Reasons.BINDING_MISSING : Reasons.BINDING_AMBIGUOUS,
                    "spec", "set exactly one of " + knownNames());
        }
        BusBinding binding = bindings.select(Identifier.Literal.of(named.get(0))).get();
        // a digest, not the spec: the identity shows in health and logs, and a spec may hold a password
        String identity = binding.name() + "-" + secrets.fingerprint(namespace, spec);
        synchronized (open) {
            Bus bus = open.computeIfAbsent(identity,
                    id -> new InstrumentedBus(binding.open(spec, namespace), registry, tracing, recentEvents));
            handedOut.put(identity, System.nanoTime());
            return new Resolved(identity, bus);
        }
    }

    /**
     * Records that a resource works on this bus, in place of any bus it held before; the connection stays open
     * while some resource holds it.
     */
    public void use(ResourceKey holder, Resolved bus) {
        String before = holders.put(holder, bus.identity());
        if (before != null && !before.equals(bus.identity())) {
            closeLaterIfUnused(before);
        }
    }

    /** Records that a resource no longer works on any bus (it was deleted, or it names none that exists). */
    public void release(ResourceKey holder) {
        String before = holders.remove(holder);
        if (before != null) {
            closeLaterIfUnused(before);
        }
    }

    /**
     * The connections that an EventSource or a Trigger works on, by identity: what readiness counts. An EventBus
     * that nothing uses is checked by its own status, and does not make the service unready.
     */
    public Map<String, Bus> busesInUse() {
        Map<String, Bus> inUse = new HashMap<>();
        holders.forEach((holder, identity) -> {
            Bus bus = open.get(identity);
            if (bus != null && !ResourceKind.isBus(holder.kind())) {
                inUse.put(identity, bus);
            }
        });
        return inUse;
    }

    private void closeLaterIfUnused(String identity) {
        try {
            closer.schedule(() -> closeIfUnused(identity), UNUSED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: onStop closes everything
        }
    }

    private void closeIfUnused(String identity) {
        Bus unused;
        synchronized (open) {
            if (holders.containsValue(identity)) {
                return;
            }
            Long lastHandedOut = handedOut.get(identity);
            if (lastHandedOut != null && System.nanoTime() - lastHandedOut < UNUSED_GRACE.toNanos()) {
                closeLaterIfUnused(identity); // resolved just now: its holder is about to say so
                return;
            }
            handedOut.remove(identity);
            unused = open.remove(identity);
        }
        if (unused != null) {
            unused.close();
            LOG.infof("Closed a bus connection that no resource uses any more");
        }
    }

    /** How many bus connections are open: a gauge, {@code sluice.bus.connections}, that shows a leak. */
    public int openConnections() {
        return open.size();
    }

    @PostConstruct
    void registerMeters() {
        Gauge.builder("sluice.bus.connections", open, Map::size)
                .description("Open bus connections (producer and admin client each); one per bus spec in use")
                .register(registry);
    }

    private Optional<EventBusSpec> embeddedDefault(String busName) {
        if (!DEFAULT.equals(busName) || local.bootstrapServers().isEmpty()) {
            return Optional.empty();
        }
        EventBusSpec spec = new EventBusSpec();
        spec.setKafka(new KafkaBusSpec());
        return Optional.of(spec);
    }

    private String knownNames() {
        return bindings.stream().map(BusBinding::name).sorted().collect(Collectors.joining(", "));
    }

    void onStop(@Observes ShutdownEvent event) {
        closer.shutdownNow();
        ParallelClose.all("bus", List.copyOf(open.values()));
        open.clear();
    }
}
