package dev.sluice.resources;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.SluiceResource;
import io.vertx.ext.web.Router;

/**
 * {@code GET /resources}: every resource this service knows, with its status conditions, and in local mode
 * {@code keptBecause} on a resource whose file no longer parses.
 */
@ApplicationScoped
public class ResourcesRoute {

    @Inject
    ResourceCatalog catalog;

    @Inject
    ObjectMapper mapper;

    @Inject
    FolderResources folder;

    void register(@Observes Router router) {
        router.get("/resources").handler(ctx -> {
            try {
                String body = mapper.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(catalog.list().stream().map(this::view).toList());
                ctx.response().putHeader("content-type", "application/json").end(body);
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }

    private Map<String, Object> view(SluiceResource<?> r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", r.getKind());
        view.put("namespace", r.getMetadata().getNamespace());
        view.put("name", r.getMetadata().getName());
        view.put("generation", r.generation());
        view.put("status", r.getStatus());
        // local mode: its file no longer parses, and this is the version read before
        folder.keptBecause(r.key()).ifPresent(reason -> view.put("keptBecause", reason));
        return view;
    }
}
