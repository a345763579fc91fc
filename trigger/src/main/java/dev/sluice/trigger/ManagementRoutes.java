package dev.sluice.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.ResourceKey;
import dev.sluice.api.eventsource.EventSource;
import dev.sluice.api.kinds.ResourceKind;
import dev.sluice.bus.BusHistory;
import dev.sluice.bus.BusNames;
import dev.sluice.bus.Buses;
import dev.sluice.management.ManagementEndpoints;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.trigger.delivery.TriggerConfig;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The management API of the trigger service (docs/api.md; its OpenAPI document is
 * {@code META-INF/openapi.yaml}, served at {@code /q/openapi}): replays, dead letters, offline tests and the
 * tail of a topic. On the one port in local mode; on Quarkus's management interface where it is enabled, as
 * {@code /ui} and {@code /resources} are. Every handler
 * that reads the bus runs off the event loop. Errors answer {@code {"error": "..."}}.
 */
@ApplicationScoped
public class ManagementRoutes implements ManagementEndpoints {
    private static final Logger LOG = Logger.getLogger(ManagementRoutes.class);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final int DEFAULT_LIMIT = 100;
    private static final String TRIGGER = "/triggers/:namespace/:name";

    @Inject
    Replays replays;

    @Inject
    DeadLetters deadLetters;

    @Inject
    ResourceCatalog catalog;

    @Inject
    Buses buses;

    @Inject
    ObjectMapper mapper;

    @Inject
    TriggerConfig config;

    @Override
    public void register(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post(TRIGGER + "/replays").handler(body).blockingHandler(ctx -> answer(ctx, 202, c -> {
            JsonNode request = bodyOf(c);
            Map<String, Object> replay = replays.start(trigger(c), new Replays.Request(text(request, "from"),
                    text(request, "to"), text(request, "condition"),
                    request.hasNonNull("subscriber") ? request.get("subscriber").asInt() : null));
            c.response().putHeader("Location", c.request().path() + "/" + replay.get("id"));
            return replay;
        }), false);
        router.get(TRIGGER + "/replays").handler(ctx -> answer(ctx, 200, c -> replays.list(trigger(c))));
        router.get(TRIGGER + "/replays/:id").handler(ctx -> answer(ctx, 200,
                c -> replays.get(trigger(c), c.pathParam("id"))));
        router.delete(TRIGGER + "/replays/:id").handler(ctx -> answer(ctx, 202,
                c -> replays.cancel(trigger(c), c.pathParam("id"))));
        router.get(TRIGGER + "/deadletters").blockingHandler(ctx -> answer(ctx, 200,
                c -> deadLetters.list(trigger(c), limit(c))), false);
        router.get(TRIGGER + "/deadletters/count").blockingHandler(ctx -> answer(ctx, 200,
                c -> deadLetters.count(trigger(c))), false);
        router.post(TRIGGER + "/deadletters/redrives").handler(body).blockingHandler(ctx -> answer(ctx, 202, c -> {
            JsonNode request = bodyOf(c);
            List<String> ids = new ArrayList<>();
            request.path("ids").forEach(id -> ids.add(id.asText()));
            Map<String, Object> redrive = deadLetters.redrive(trigger(c), ids, text(request, "condition"));
            c.response().putHeader("Location", c.request().path() + "/" + redrive.get("id"));
            return redrive;
        }), false);
        router.get(TRIGGER + "/deadletters/redrives/:id").handler(ctx -> answer(ctx, 200,
                c -> deadLetters.get(trigger(c), c.pathParam("id"))));
        router.post("/tests").handler(body).blockingHandler(ctx -> answer(ctx, 200, c -> {
            JsonNode request = bodyOf(c);
            List<String> events = new ArrayList<>();
            for (JsonNode event : request.path("events")) {
                events.add(event.toString());
            }
            return new DryRun(mapper, config.cel().maxIterations()).evaluate(text(request, "trigger"), events);
        }), false);
        router.get("/topics/:namespace/:source/:event").blockingHandler(this::tail, false);
    }

    /**
     * Server-sent events: each event published from now on to the topic of one event source's event, as a
     * structured CloudEvent in one {@code data:} line, until the client goes away.
     */
    private void tail(RoutingContext ctx) {
        try {
            String namespace = ctx.pathParam("namespace");
            String source = ctx.pathParam("source");
            EventSource eventSource = catalog.find(EventSource.class, namespace, source).orElseThrow(
                    () -> ApiException.notFound("no EventSource " + namespace + "/" + source));
            BusHistory history = buses.resolve(namespace, eventSource.getSpec().getEventBus(), "spec.eventBus").bus()
                    .history().orElseThrow(() -> ApiException.conflict("the bus of EventSource " + namespace + "/"
                            + source + " keeps no events to follow (only a Kafka bus does)"));
            HttpServerResponse response = ctx.response().setChunked(true)
                    .putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
            Context context = ctx.vertx().getOrCreateContext();
            JsonFormat format = new JsonFormat();
            AutoCloseable following = history.follow(List.of(BusNames.topic(namespace, source, ctx.pathParam("event"))),
                    event -> {
                        String line = "data: " + new String(format.serialize(event.event()),
                                java.nio.charset.StandardCharsets.UTF_8) + "\n\n";
                        context.runOnContext(v -> {
                            if (!response.closed()) {
                                response.write(line);
                            }
                        });
                    });
            // said once the start is fixed, so that a client may send knowing its event will show
            context.runOnContext(v -> {
                response.closeHandler(closed -> close(following));
                response.write(": following " + BusNames.topic(namespace, source, ctx.pathParam("event")) + "\n\n");
            });
        } catch (ApiException e) {
            error(ctx, e.status(), e.getMessage());
        } catch (dev.sluice.api.InvalidSpecException e) {
            error(ctx, 409, e.getMessage());
        }
    }

    private static void close(AutoCloseable following) {
        try {
            following.close();
        } catch (Exception e) {
            LOG.debugf("Stopping a tail: %s", e.getMessage());
        }
    }

    private void answer(RoutingContext ctx, int status, Function<RoutingContext, Object> handler) {
        try {
            Object body = handler.apply(ctx);
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(mapper.writeValueAsString(body));
        } catch (ApiException e) {
            error(ctx, e.status(), e.getMessage());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "%s %s failed", ctx.request().method(), ctx.request().path());
            error(ctx, 500, e.getMessage());
        }
    }

    private void error(RoutingContext ctx, int status, String message) {
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(mapper.writeValueAsString(Map.of("error", message == null ? "failed" : message)));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private JsonNode bodyOf(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (!node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static int limit(RoutingContext ctx) {
        String limit = ctx.queryParams().get("limit");
        try {
            int value = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit);
            if (value < 0) {
                throw ApiException.badRequest("limit must be 0 or more");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number: " + limit);
        }
    }

    private static ResourceKey trigger(RoutingContext ctx) {
        return new ResourceKey(ResourceKind.TRIGGER.kind(), ctx.pathParam("namespace"), ctx.pathParam("name"));
    }
}
