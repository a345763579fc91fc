package dev.sluice.bus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventbus.ClusterEventBus;
import dev.sluice.api.eventbus.EventBus;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.api.eventbus.KafkaBusSpec;
import dev.sluice.config.SluiceConfig;
import dev.sluice.local.LocalKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.secrets.Secrets;
import dev.sluice.tracing.EventTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Resolves the bus a resource names and keeps one open connection per distinct bus spec and credentials (keyed by
 * a digest of both, never by the spec itself, which may hold a password). An EventBus in the
 * resource's namespace wins over a ClusterEventBus of the same name; where an embedded broker runs, a
 * {@code default} bus that no resource defines is that broker.
 */
@ApplicationScoped
public class Buses {
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

    private final Map<String, Bus> open = new ConcurrentHashMap<>();

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
        Bus bus = open.computeIfAbsent(identity, id -> new InstrumentedBus(binding.open(spec, namespace), registry, tracing));
        return new Resolved(identity, bus);
    }

    /** Every open connection, for readiness. */
    public Map<String, Bus> openBuses() {
        return Map.copyOf(open);
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
        open.values().forEach(Bus::close);
        open.clear();
    }
}
