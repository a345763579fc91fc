package dev.sluice.resources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.Condition;
import dev.sluice.api.ConditionTypes;
import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.api.Status;
import dev.sluice.api.kinds.ResourceKind;
import dev.sluice.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Every resource this service knows, wherever it came from (a folder or the Kubernetes API), and the loop
 * that reconciles them on one thread. A change to a bus reconciles everything that may use it; a resource
 * that is not Ready, or whose reconciler says its work changed state, is reconciled again every few seconds, so
 * a broker that goes away or comes back shows in the status.
 */
@ApplicationScoped
public class ResourceCatalog {
    private static final Logger LOG = Logger.getLogger(ResourceCatalog.class);
    private static final Duration RESYNC = Duration.ofSeconds(2);
    static final String RECONCILED = "sluice.reconciled";
    static final String RESOURCES = "sluice.resources";

    @Inject
    @Any
    Instance<Reconciler<?>> reconcilers;

    @Inject
    StatusWriter statusWriter;

    @Inject
    MeterRegistry registry;

    private final Map<ResourceKey, SluiceResource<?>> resources = new LinkedHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("sluice-reconcile"));
    private volatile boolean loaded;
    /**
     * Whether each resource this service reconciles is Ready, readable without the lock that a slow reconcile
     * holds, so that a scrape or a readiness probe never waits on a broker.
     */
    private final Map<ResourceKey, Boolean> readiness = new ConcurrentHashMap<>();
    private final Map<String, Counter> reconciled = new ConcurrentHashMap<>();
    /**
     * Every resource with a copy of its status, as of the end of the last reconcile: what {@code GET /resources}
     * shows without waiting for a reconcile in progress, which may wait seconds on a broker creating topics.
     */
    private volatile List<Listed> listed = List.of();

    /** A resource as the last reconcile left it; its status is a copy that the reconcile loop no longer changes. */
    public record Listed(String kind, String namespace, String name, long generation, Status status) {

        static Listed of(SluiceResource<?> resource) {
            Status copy = new Status();
            copy.setObservedGeneration(resource.getStatus().getObservedGeneration());
            copy.setConditions(new ArrayList<>(resource.getStatus().getConditions()));
            return new Listed(resource.getKind(), resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), resource.generation(), copy);
        }
    }

    ResourceCatalog() {
        loop.scheduleWithFixedDelay(this::resyncNotReady, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PostConstruct
    void registerMeters() {
        for (String kind : ResourceKind.names()) { // a bounded set of values for the kind tag
            for (boolean ready : new boolean[] { true, false }) {
                Gauge.builder(RESOURCES, readiness, r -> count(kind, ready)).tag("kind", kind)
                        .tag("ready", String.valueOf(ready))
                        .description("Resources this service reconciles, by kind and whether they are Ready")
                        .register(registry);
            }
        }
    }

    private double count(String kind, boolean ready) {
        return readiness.entrySet().stream().filter(e -> e.getKey().kind().equals(kind))
                .filter(e -> e.getValue() == ready).count();
    }

    /** How many resources this service reconciles, and how many of them are not Ready. */
    public record Readiness(int reconciled, int notReady) {
    }

    /** Reads without waiting for a reconcile in progress. */
    public Readiness readiness() {
        int notReady = (int) readiness.values().stream().filter(ready -> !ready).count();
        return new Readiness(readiness.size(), notReady);
    }

    /** True until shutdown: the reconcile loop takes work. */
    public boolean isRunning() {
        return !loop.isShutdown();
    }

    /**
     * Replaces every resource with this snapshot (a folder reload) and waits until they are reconciled: the changed
     * ones, or with {@code everything} all of them (the Secrets they may use changed).
     */
    public void replaceAll(Collection<? extends SluiceResource<?>> snapshot, boolean everything) {
        run(() -> {
            Map<ResourceKey, SluiceResource<?>> next = new LinkedHashMap<>();
            snapshot.forEach(r -> next.put(r.key(), r));
            List<ResourceKey> gone = resources.keySet().stream().filter(k -> !next.containsKey(k)).toList();
            gone.forEach(this::remove);
            List<SluiceResource<?>> changed = next.values().stream().filter(this::isChanged).toList();
            changed.forEach(r -> resources.put(r.key(), r));
            boolean busChanged = gone.stream().anyMatch(k -> ResourceKind.isBus(k.kind()))
                    || changed.stream().anyMatch(r -> ResourceKind.isBus(r.getKind()));
            reconcileInOrder(busChanged || everything ? resources.values() : changed);
            loaded = true;
        });
    }

    /** Adds or updates one resource (a watch event). */
    public void upsert(SluiceResource<?> resource) {
        run(() -> {
            if (!isChanged(resource)) {
                return;
            }
            resources.put(resource.key(), resource);
            reconcileInOrder(ResourceKind.isBus(resource.getKind()) ? resources.values() : List.of(resource));
        });
    }

    /** Removes one resource and stops its work. */
    public void delete(ResourceKey key) {
        run(() -> {
            remove(key);
            if (ResourceKind.isBus(key.kind())) {
                reconcileInOrder(resources.values());
            }
        });
    }

    /** Marks the first load as done even when there was nothing to load, for readiness. */
    public void markLoaded() {
        loaded = true;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Every resource, in the order they were added. Waits for a reconcile in progress: not for request threads. */
    public List<SluiceResource<?>> list() {
        synchronized (resources) {
            return new ArrayList<>(resources.values());
        }
    }

    /** Every resource and its status, in the order they were added, as of the last reconcile; never waits. */
    public List<Listed> listed() {
        return listed;
    }

    public Optional<SluiceResource<?>> get(ResourceKey key) {
        synchronized (resources) {
            return Optional.ofNullable(resources.get(key));
        }
    }

    /** Finds a resource of a kind; {@code namespace} is null for cluster-scoped kinds. */
    public <R extends SluiceResource<?>> Optional<R> find(Class<R> kind, String namespace, String name) {
        synchronized (resources) {
            return resources.values().stream().filter(kind::isInstance).map(kind::cast)
                    .filter(r -> Objects.equals(r.getMetadata().getName(), name))
                    .filter(r -> Objects.equals(r.getMetadata().getNamespace(), namespace))
                    .findFirst();
        }
    }

    private boolean isChanged(SluiceResource<?> next) {
        SluiceResource<?> previous = resources.get(next.key());
        return previous == null || previous.generation() != next.generation();
    }

    private void reconcileInOrder(Collection<SluiceResource<?>> batch) {
        // buses first, so that what uses them resolves them in the same pass
        List<SluiceResource<?>> ordered = batch.stream()
                .sorted((a, b) -> Boolean.compare(!ResourceKind.isBus(a.getKind()), !ResourceKind.isBus(b.getKind())))
                .toList();
        ordered.forEach(this::reconcile);
    }

    private void resyncNotReady() {
        try {
            synchronized (resources) {
                resources.values().stream()
                        .filter(r -> r.getSpec() != null && (!r.getStatus().isReady() || drifted(r))).toList()
                        .forEach(this::reconcile);
                publishListed();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Resync failed");
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private boolean drifted(SluiceResource<?> resource) {
        return reconcilers.stream().filter(r -> r.serves(resource))
                .anyMatch(r -> ((Reconciler) r).needsReconcile(resource));
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private void reconcile(SluiceResource<?> resource) {
        List<Reconciler> mine = reconcilers.stream().filter(r -> r.serves(resource))
                .map(r -> (Reconciler) r).toList();
        if (mine.isEmpty()) {
            return; // another service serves this kind
        }
        if (resource.getSpec() == null) {
            readiness.put(resource.key(), false);
            if (resource.getStatus().getConditions().isEmpty()) {
                resource.getStatus().reconciled(resource.generation(),
                        List.of(Condition.failed(ConditionTypes.SPEC_VALID, Reasons.SPEC_MISSING, "spec: missing")));
            }
            statusWriter.write(resource); // once per generation: the resync skips spec-less resources
            return; // nothing to run; the parser's condition names the field
        }
        List<Condition> conditions = new ArrayList<>();
        boolean failed = false;
        for (Reconciler reconciler : mine) {
            try {
                conditions.addAll(reconciler.reconcile(resource));
            } catch (InvalidSpecException e) {
                conditions.add(e.toCondition(ConditionTypes.SPEC_VALID));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Reconcile of %s failed", resource.key());
                conditions.add(Condition.failed(ConditionTypes.RECONCILED, Reasons.RECONCILE_FAILED, e.toString()));
                failed = true;
            }
        }
        String before = summary(resource);
        resource.getStatus().reconciled(resource.generation(), conditions);
        boolean ready = resource.getStatus().isReady();
        readiness.put(resource.key(), ready);
        countReconciled(resource.getKind(), failed ? "error" : ready ? "ready" : "not-ready");
        if (!before.equals(summary(resource))) {
            statusWriter.write(resource);
        }
    }

    /** Counts one reconcile; {@code outcome} is ready, not-ready (the spec or the bus is at fault) or error (a bug). */
    private void countReconciled(String kind, String outcome) {
        reconciled.computeIfAbsent(kind + "/" + outcome,
                k -> registry.counter(RECONCILED, "kind", kind, "outcome", outcome)).increment();
    }

    private static String summary(SluiceResource<?> resource) {
        return resource.getStatus().getObservedGeneration() + resource.getStatus().getConditions().stream()
                .map(c -> c.getType() + c.getStatus() + c.getReason() + c.getMessage()).collect(Collectors.joining());
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private void remove(ResourceKey key) {
        SluiceResource<?> removed;
        synchronized (resources) {
            removed = resources.remove(key);
        }
        if (removed == null) {
            return;
        }
        readiness.remove(key);
        for (Reconciler reconciler : reconcilers) {
            if (reconciler.serves(removed)) {
                try {
                    reconciler.delete(key);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Stopping %s failed", key);
                }
            }
        }
        LOG.infof("%s removed", key);
    }

    private void run(Runnable task) {
        try {
            loop.submit(() -> {
                synchronized (resources) {
                    try {
                        task.run();
                    } finally {
                        publishListed();
                    }
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** On the loop's thread, holding the lock. */
    private void publishListed() {
        listed = resources.values().stream().map(Listed::of).toList();
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        loop.shutdownNow();
        reconcilers.forEach(Reconciler::stopAll);
    }
}
