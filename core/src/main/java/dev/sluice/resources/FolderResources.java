package dev.sluice.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import dev.sluice.api.SluiceResource;
import dev.sluice.concurrent.DaemonThreads;
import dev.sluice.config.SluiceConfig;
import dev.sluice.secrets.Secrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Local mode: reads every {@code *.yaml} and {@code *.yml} under {@code sluice.resources.dir} into the
 * catalog at start, and again whenever a file changes. {@code kind: Secret} documents (v1) go to {@link Secrets}
 * instead; a change of one reconciles every resource, since any may use it. A resource whose spec did not change keeps its
 * generation; a changed one gets the next. With {@code sluice.openfunction=true} the folder's
 * {@code events.openfunction.io/v1alpha1} documents are read too, as in a cluster.
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

    private ScheduledExecutorService watcher;
    private String lastFingerprint = "";

    void onStart(@Observes @Priority(50) StartupEvent event) {
        if (config.resources().source() != SluiceConfig.Source.FOLDER) {
            return; // the Kubernetes informers fill the catalog and mark it loaded once synced
        }
        if (config.resources().dir().isEmpty()) {
            catalog.markLoaded(); // no folder: nothing to load
            return;
        }
        Path dir = Path.of(config.resources().dir().get()).toAbsolutePath();
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
            LOG.errorf(e, "Reloading %s failed", dir);
        }
    }

    synchronized void reload(Path dir) {
        lastFingerprint = fingerprint(dir);
        ResourceParser parser = new ResourceParser(mapper, config.acceptsOpenFunction());
        List<SluiceResource<?>> loaded = new ArrayList<>();
        List<Secret> secretsLoaded = new ArrayList<>();
        for (Path file : files(dir)) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                LOG.errorf("Cannot read %s: %s", file, e.getMessage());
                continue;
            }
            for (ResourceParser.Parsed parsed : parser.parse(text, dir.relativize(file).toString())) {
                if (parsed.secret() != null) {
                    secretsLoaded.add(parsed.secret());
                } else if (parsed.resource() == null) {
                    LOG.warn(parsed.skipped());
                } else {
                    assignGeneration(parsed.resource());
                    loaded.add(parsed.resource());
                }
            }
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
