package dev.sluice.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.Reasons;
import dev.sluice.api.ResourceKey;
import dev.sluice.api.SluiceResource;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.config.SluiceConfig;
import dev.sluice.secrets.Secrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Local mode: reads every {@code *.yaml} and {@code *.yml} under {@code sluice.resources.dir} into the
 * catalog at start, and again whenever a file changes. {@code kind: Secret} documents (v1) go to {@link Secrets}
 * instead; a change of one reconciles every resource, since any may use it. A resource whose spec did not change keeps its
 * generation; a changed one gets the next. With {@code sluice.openfunction=true} the folder's
 * {@code events.openfunction.io/v1alpha1} documents are read too, as in a cluster.
 * <p>
 * A file caught half-written (an editor's save read mid-way: empty, not YAML, or a document cut before its
 * {@code metadata.name} or {@code spec}) keeps the last good version of its resources until it parses again, so
 * the ingress never answers 404 for their events meanwhile. {@code GET /resources} shows why on each resource it
 * kept, and {@value #UNPARSED_FILES} counts such files.
 */
@ApplicationScoped
public class FolderResources {
    private static final Logger LOG = Logger.getLogger(FolderResources.class);

    @Inject
    SluiceConfig config;

    @Inject
    ResourceCatalog catalog;

    @Inject
    ObjectMapper mapper;

    @Inject
    Secrets secrets;

    static final String UNPARSED_FILES = "sluice.resources.files.unparsed";

    @Inject
    MeterRegistry registry;

    private ScheduledExecutorService watcher;
    private String lastFingerprint = "";
    /** What a file held when it last parsed whole. */
    private record FileContents(List<SluiceResource<?>> resources, List<Secret> secrets) {
        static final FileContents NONE = new FileContents(List.of(), List.of());
    }

    /** Each file's contents as it last parsed whole. */
    private final Map<Path, FileContents> lastGood = new HashMap<>();
    /** Why a file kept its last good version: the parse error, by the keys of the resources it kept. */
    private final Map<ResourceKey, String> kept = new ConcurrentHashMap<>();
    private final Map<Path, String> unparsed = new ConcurrentHashMap<>();

    /**
     * Why this resource is the last good version of a file that no longer parses, if it is; shown by
     * {@code GET /resources}.
     */
    public Optional<String> keptBecause(ResourceKey key) {
        return Optional.ofNullable(kept.get(key));
    }

    void onStart(@Observes @Priority(50) StartupEvent event) {
        if (config.resources().source() != SluiceConfig.Source.FOLDER) {
            return; // the Kubernetes informers fill the catalog and mark it loaded once synced
        }
        if (config.resources().dir().isEmpty()) {
            catalog.markLoaded(); // no folder: nothing to load
            return;
        }
        Path dir = Path.of(config.resources().dir().get()).toAbsolutePath();
        Gauge.builder(UNPARSED_FILES, unparsed, Map::size).description("Resource files that do not parse, which keep their last good version")
                .register(registry);
        LOG.infof("Loading resources from %s", dir);
        reload(dir);
        watcher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sluice-resources-watch"));
        long every = config.resources().reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(() -> reloadIfChanged(dir), every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    private void reloadIfChanged(Path dir) {
        try {
            if (!fingerprint(dir).equals(lastFingerprint)) {
                LOG.infof("Resources in %s changed; reloading", dir);
                reload(dir);
            }
        } catch (RuntimeException e) {
            if (!catalog.isRunning()) {
                return; // shutting down: a change now has nowhere to go
            }
            LOG.errorf(e, "Reloading %s failed", dir);
        }
    }

    synchronized void reload(Path dir) {
        lastFingerprint = fingerprint(dir);
        ResourceParser parser = new ResourceParser(mapper, config.acceptsOpenFunction());
        List<Path> files = files(dir);
        lastGood.keySet().retainAll(files);
        unparsed.keySet().retainAll(files);
        kept.clear();
        List<SluiceResource<?>> loaded = new ArrayList<>();
        List<Secret> secretsLoaded = new ArrayList<>();
        for (Path file : files) {
            String origin = dir.relativize(file).toString();
            try {
                List<SluiceResource<?>> resources = new ArrayList<>();
                List<Secret> fileSecrets = new ArrayList<>();
                for (ResourceParser.Parsed parsed : parser.parseWhole(Files.readString(file), origin)) {
                    if (parsed.secret() != null) {
                        fileSecrets.add(parsed.secret());
                    } else if (parsed.resource() == null) {
                        LOG.warn(parsed.skipped());
                    } else {
                        assignGeneration(parsed.resource());
                        resources.add(parsed.resource());
                    }
                }
                lastGood.put(file, new FileContents(resources, fileSecrets));
                if (unparsed.remove(file) != null) {
                    LOG.infof("%s parses again", origin);
                }
            } catch (ResourceParser.Incomplete e) {
                FileContents previous = lastGood.getOrDefault(file, FileContents.NONE);
                if (!e.getMessage().equals(unparsed.put(file, e.getMessage()))) {
                    LOG.errorf("%s; keeping its last good version (%d resources) until it parses", e.getMessage(),
                            previous.resources().size());
                }
                previous.resources().forEach(r -> kept.put(r.key(), e.getMessage() + "; serving the last good version"));
            } catch (IOException e) {
                LOG.errorf("Cannot read %s: %s", file, e.getMessage());
                continue;
            }
            FileContents contents = lastGood.getOrDefault(file, FileContents.NONE);
            loaded.addAll(contents.resources());
            secretsLoaded.addAll(contents.secrets());
        }
        boolean secretsChanged = secrets.replaceLocal(secretsLoaded);
        catalog.replaceAll(loaded, secretsChanged);
    }

    /** Files carry no generation: keep the loaded one while the spec is the same, else count up. */
    private void assignGeneration(SluiceResource<?> next) {
        if (next.getMetadata().getGeneration() != null) {
            return;
        }
        long generation = catalog.get(next.key())
                .map(previous -> sameSpec(previous, next) ? previous.generation() : previous.generation() + 1)
                .orElse(1L);
        next.getMetadata().setGeneration(generation);
        catalog.get(next.key()).filter(previous -> previous.generation() == generation)
                .ifPresent(previous -> next.setStatus(previous.getStatus()));
    }

    private boolean sameSpec(SluiceResource<?> a, SluiceResource<?> b) {
        try {
            return mapper.writeValueAsString(a.getSpec()).equals(mapper.writeValueAsString(b.getSpec()))
                    && a.getStatus().getConditions().stream().noneMatch(c -> Reasons.SPEC_NOT_PARSED.equals(c.getReason()))
                    && b.getSpec() != null;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("Resources folder %s does not exist; nothing to load", dir);
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fingerprint(Path dir) {
        StringBuilder sb = new StringBuilder();
        for (Path file : files(dir)) {
            try {
                sb.append(file).append(Files.getLastModifiedTime(file).toMillis()).append(Files.size(file)).append(';');
            } catch (IOException e) {
                sb.append(file).append("?;");
            }
        }
        return sb.toString();
    }
}
