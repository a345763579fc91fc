package dev.sluice.resources;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.Router;

/**
 * {@code GET /resources}: every resource this service knows, with its status conditions, as of the last reconcile.
 * It runs on an event loop and never waits for a reconcile in progress.
 */
@ApplicationScoped
public class ResourcesRoute {

    @Inject
    ResourceCatalog catalog;

    @Inject
    ObjectMapper mapper;

    void register(@Observes Router router) {
        router.get("/resources").handler(ctx -> {
            try {
                String body = mapper.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(catalog.listed().stream().map(ResourcesRoute::view).toList());
                ctx.response().putHeader("content-type", "application/json").end(body);
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }

    private static Map<String, Object> view(ResourceCatalog.Listed r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", r.kind());
        view.put("namespace", r.namespace());
        view.put("name", r.name());
        view.put("generation", r.generation());
        view.put("status", r.status());
        return view;
    }
}
