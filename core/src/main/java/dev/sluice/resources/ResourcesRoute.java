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

/** {@code GET /resources}: every resource this service knows, with its status conditions. */
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
                        .writeValueAsString(catalog.list().stream().map(ResourcesRoute::view).toList());
                ctx.response().putHeader("content-type", "application/json").end(body);
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }

    private static Map<String, Object> view(SluiceResource<?> r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", r.getKind());
        view.put("namespace", r.getMetadata().getNamespace());
        view.put("name", r.getMetadata().getName());
        view.put("generation", r.generation());
        view.put("status", r.getStatus());
        return view;
    }
}
