package dev.sluice.bus;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.eventbus.ClusterEventBus;
import dev.sluice.api.eventbus.EventBus;
import dev.sluice.api.eventbus.EventBusSpec;
import dev.sluice.config.SluiceConfig;
import dev.sluice.resources.Reconciler;

/** Checks an EventBus or ClusterEventBus: its binding is known, its spec opens a connection, the bus answers. */
@ApplicationScoped
public class EventBusReconciler implements Reconciler<SluiceResource<EventBusSpec>> {
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    Buses buses;

    @Inject
    SluiceConfig config;

    @Override
    public boolean serves(SluiceResource<?> resource) {
        return resource instanceof EventBus || resource instanceof ClusterEventBus;
    }

    @Override
    public List<Condition> reconcile(SluiceResource<EventBusSpec> resource) {
        String namespace = resource.getMetadata().getNamespace() != null ? resource.getMetadata().getNamespace()
                : config.resources().clusterSecretsNamespace();
        Buses.Resolved resolved;
        try {
            resolved = buses.open(resource.getSpec(), namespace);
        } catch (RuntimeException e) {
            buses.release(resource.key());
            throw e;
        }
        buses.use(resource.key(), resolved); // open while the EventBus exists, to report on it
        return List.of(Condition.ok(ConditionTypes.BINDING_READY, Reasons.OPENED),
                resolved.bus().isReachable(REACH_TIMEOUT)
                        ? Condition.ok(ConditionTypes.BUS_REACHABLE, Reasons.REACHABLE)
                        : Condition.failed(ConditionTypes.BUS_REACHABLE, Reasons.BUS_UNREACHABLE,
                                "the bus did not answer within " + REACH_TIMEOUT.toSeconds() + "s"));
    }

    @Override
    public void delete(ResourceKey key) {
        buses.release(key); // closed once no EventSource or Trigger uses it either
    }
}
