package dev.sluice.resources.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.config.SluiceConfig;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.resources.OpenFunctionManifests;
import dev.sluice.resources.ResourceParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Cluster mode ({@code sluice.resources.source=kubernetes}): informers on the four kinds in the configured
 * namespaces feed the catalog, which marks itself loaded once every informer has listed. Objects are read as
 * generic resources and parsed like files, so a spec that does not fit the model becomes {@code Ready=False}
 * naming the field instead of breaking the watch.
 *
 * <p>With {@code sluice.openfunction=true} OpenFunction's kinds are watched too. Where both groups
 * hold a resource of the same kind, namespace and name, the {@code events.sluice.dev} one is served.
 */
@ApplicationScoped
public class KubernetesResources {
    private static final Logger LOG = Logger.getLogger(KubernetesResources.class);

    @Inject
    SluiceConfig config;

    @Inject
    ResourceCatalog catalog;

    @Inject
    ObjectMapper mapper;

    @Inject
    Instance<KubernetesClient> client;

    /** Which group each served resource was read from, so its status goes back there. */
    private final Map<ResourceKey, WatchedKind> origins = new ConcurrentHashMap<>();
    private final Map<WatchedKind, List<SharedIndexInformer<GenericKubernetesResource>>> informers = new ConcurrentHashMap<>();
    private ResourceParser parser;

    void onStart(@Observes @Priority(60) StartupEvent event) {
        if (config.resources().source() != SluiceConfig.Source.KUBERNETES) {
            return;
        }
        parser = new ResourceParser(mapper);
        List<String> namespaces = config.kubernetes().namespaces().orElse(List.of());
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        for (WatchedKind kind : WatchedKind.all(config.acceptsOpenFunction())) {
            List<String> scopes = kind.namespaced() && !namespaces.isEmpty() ? namespaces : java.util.Collections.singletonList(null);
            for (String namespace : scopes) {
                SharedIndexInformer<GenericKubernetesResource> informer = informer(kind, namespace);
                informers.computeIfAbsent(kind, k -> new ArrayList<>()).add(informer);
                synced.add(informer.start().toCompletableFuture());
            }
        }
        LOG.infof("Watching %s in %s", WatchedKind.all(config.acceptsOpenFunction()),
                namespaces.isEmpty() ? "all namespaces" : "namespaces " + namespaces);
        CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            if (failure == null) {
                LOG.info("Every informer has listed its resources");
                catalog.markLoaded();
            } else {
                LOG.errorf(failure, "An informer did not start; the service stays not ready");
            }
        });
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(WatchedKind kind, String namespace) {
        var resources = client.get().genericKubernetesResources(kind.context());
        SharedIndexInformer<GenericKubernetesResource> informer = namespace != null
                ? resources.inNamespace(namespace).runnableInformer(config.kubernetes().resync().toMillis())
                : kind.namespaced()
                        ? resources.inAnyNamespace().runnableInformer(config.kubernetes().resync().toMillis())
                        : resources.runnableInformer(config.kubernetes().resync().toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                changed(kind, object);
            }

            @Override
            public void onUpdate(GenericKubernetesResource previous, GenericKubernetesResource object) {
                changed(kind, object);
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                deleted(kind, object);
            }
        });
        // a missing CRD or a forbidden list is retried with backoff, and shows as not ready meanwhile
        informer.exceptionHandler((started, failure) -> {
            LOG.warnf("Watching %s%s failed, retrying: %s", kind, namespace == null ? "" : " in " + namespace,
                    failure.getMessage());
            return true;
        });
        return informer;
    }

    /** The group a served resource was read from; empty once it is deleted. */
    public Optional<WatchedKind> origin(ResourceKey key) {
        return Optional.ofNullable(origins.get(key));
    }

    synchronized void changed(WatchedKind kind, GenericKubernetesResource object) {
        SluiceResource<?> resource = toResource(kind, object);
        if (resource == null) {
            return;
        }
        ResourceKey key = resource.key();
        WatchedKind owner = origins.get(key);
        if (owner != null && !owner.equals(kind)) {
            if (kind.isOpenFunction()) {
                LOG.warnf("%s exists as %s and %s; serving the %s one", key, owner, kind, owner.group());
                return;
            }
            catalog.delete(key); // the Sluice resource takes over from OpenFunction's, whatever its generation
        }
        origins.put(key, kind);
        catalog.upsert(resource);
    }

    synchronized void deleted(WatchedKind kind, GenericKubernetesResource object) {
        ResourceKey key = new ResourceKey(kind.kind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
        if (!kind.equals(origins.get(key))) {
            return; // the other group's resource of that key is served
        }
        origins.remove(key);
        catalog.delete(key);
        if (!kind.isOpenFunction()) {
            // an OpenFunction resource of the same key that was set aside is served now
            informers.entrySet().stream()
                    .filter(e -> e.getKey().isOpenFunction() && e.getKey().kind().equals(kind.kind()))
                    .flatMap(e -> e.getValue().stream().map(i -> Map.entry(e.getKey(), i)))
                    .map(e -> Map.entry(e.getKey(), Optional.ofNullable(e.getValue().getStore()
                            .getByKey(Cache.namespaceKeyFunc(key.namespace(), key.name())))))
                    .filter(e -> e.getValue().isPresent()).findFirst()
                    .ifPresent(e -> changed(e.getKey(), e.getValue().get()));
        }
    }

    private SluiceResource<?> toResource(WatchedKind kind, GenericKubernetesResource object) {
        ObjectNode tree = mapper.valueToTree(object);
        if (kind.isOpenFunction()) {
            OpenFunctionManifests.toSluice(tree);
        }
        String where = kind + " " + Objects.toString(object.getMetadata().getNamespace(), "") + "/"
                + object.getMetadata().getName();
        ResourceParser.Parsed parsed = parser.parse(tree, where);
        if (parsed.resource() == null) {
            LOG.warn(parsed.skipped());
        }
        return parsed.resource();
    }

    void onStop(@Observes ShutdownEvent event) {
        informers.values().forEach(list -> list.forEach(SharedIndexInformer::stop));
        informers.clear();
    }
}
