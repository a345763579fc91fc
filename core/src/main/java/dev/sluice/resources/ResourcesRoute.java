package dev.sluice.resources;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.ResourceKey;
import dev.sluice.management.ManagementEndpoints;
import io.vertx.ext.web.Router;

/**
 * {@code GET /resources}: every resource this service knows, with its status conditions, as of the last reconcile.
 * It runs on an event loop and never waits for a reconcile in progress. In local mode, {@code keptBecause} on a
 * resource whose file no longer parses. On the one port in local mode; on Quarkus's management interface where it
 * is enabled (cluster mode), and there only, as the management API and {@code /ui}.
 */
@ApplicationScoped
public class ResourcesRoute implements ManagementEndpoints {

    @Inject
    ResourceCatalog catalog;

    @Inject
    ObjectMapper mapper;

    @Inject
    FolderResources folder;

    @Override
    public void register(Router router) {
        router.get("/resources").handler(ctx -> {
            try {
                String body = mapper.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(catalog.listed().stream().map(this::view).toList());
                ctx.response().putHeader("content-type", "application/json").end(body);
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }

    private Map<String, Object> view(ResourceCatalog.Listed r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", r.kind());
        view.put("namespace", r.namespace());
        view.put("name", r.name());
        view.put("generation", r.generation());
        view.put("status", r.status());
        // local mode: its file no longer parses, and this is the version read before
        folder.keptBecause(new ResourceKey(r.kind(), r.namespace(), r.name())).ifPresent(reason -> view.put("keptBecause", reason));
        return view;
    }
}
