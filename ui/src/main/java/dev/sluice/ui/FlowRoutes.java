package dev.sluice.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.sluice.api.trigger.Trigger;
import dev.sluice.flow.RecentEvents;
import dev.sluice.management.ManagementEndpoints;
import dev.sluice.resources.ResourceCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The flow page: {@code /ui/} (the page, its script and the graph libraries, all from this jar) and the three
 * things it reads besides the management API: {@code /ui/api/graph} (the {@link FlowGraph}), {@code /ui/api/rates}
 * (Server-Sent Events, one a second, with each node's rates per second and totals from the service's meters)
 * and {@code /ui/api/events?node=} (the node's {@link RecentEvents}). In local mode it is on the one HTTP port;
 * where the management interface is on ({@code quarkus.management.enabled}, as in a cluster), only there.
 */
@ApplicationScoped
public class FlowRoutes implements ManagementEndpoints {
    private static final long TICK_MILLIS = 1000;

    @Inject
    ResourceCatalog catalog;

    @Inject
    MeterRegistry registry;

    @Inject
    RecentEvents recentEvents;

    @Inject
    ObjectMapper mapper;

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Override
    public void register(Router router) {
        // Vert.x matches /ui/ here too: only the bare /ui is redirected, so that the page's relative URLs resolve
        router.get("/ui").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                ctx.redirect("ui/");
            }
        });
        router.get("/ui/api/graph").handler(ctx -> json(ctx, FlowGraph.of(catalog.list())));
        router.get("/ui/api/rates").handler(this::rates);
        router.get("/ui/api/events").handler(this::events);
        router.get("/ui/lib/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true));
        router.get("/ui/*").handler(StaticHandler.create("dev/sluice/ui/page").setCachingEnabled(false));
    }

    /** One event at once, then one a second until the page goes away; computed on the event loop, in microseconds. */
    private void rates(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        long[] last = { System.nanoTime() };
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Double>>[] before = new Map[] { FlowRates.totals(registry) };
        send(response, Map.of(), before[0]);
        long timer = ctx.vertx().setPeriodic(TICK_MILLIS, id -> {
            long now = System.nanoTime();
            Map<String, Map<String, Double>> totals = FlowRates.totals(registry);
            send(response, FlowRates.perSecond(before[0], totals, (now - last[0]) / 1e9), totals);
            before[0] = totals;
            last[0] = now;
        });
        response.closeHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    private void send(HttpServerResponse response, Map<String, Map<String, Double>> rates,
            Map<String, Map<String, Double>> totals) {
        if (response.closed()) {
            return;
        }
        try {
            response.write("data: " + mapper.writeValueAsString(Map.of("rates", rates, "totals", totals)) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The recent events of a node. An EventSource's are those of its topics, merged; a Trigger's come with its
     * subscribers' outcomes and its spec as YAML, for the condition tester.
     */
    private void events(RoutingContext ctx) {
        String node = ctx.queryParams().get("node");
        if (node == null || node.isBlank()) {
            ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end("{\"error\": \"the query parameter node is missing\"}");
            return;
        }
        FlowGraph graph = FlowGraph.of(catalog.list());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node);
        if (node.startsWith("EventSource/")) {
            List<RecentEvents.Entry> merged = new ArrayList<>();
            graph.edges().stream().filter(e -> e.source().equals(node))
                    .forEach(e -> merged.addAll(recentEvents.of(e.target())));
            merged.sort(Comparator.comparing(RecentEvents.Entry::seenAt).reversed());
            body.put("events", merged);
        } else {
            body.put("events", recentEvents.of(node));
        }
        trigger(node).ifPresent(trigger -> {
            Map<String, Map<String, Double>> totals = FlowRates.totals(registry);
            List<Map<String, Object>> subscribers = new ArrayList<>();
            graph.nodes().stream().filter(n -> node.equals(n.trigger()) && n.subscriber() != null)
                    .filter(n -> !n.kind().equals("DeadLetter")).forEach(n -> {
                        Map<String, Object> subscriber = new LinkedHashMap<>();
                        subscriber.put("index", n.subscriber());
                        subscriber.put("destination", n.label());
                        subscriber.put("totals", totals.getOrDefault(n.id(), Map.of()));
                        subscriber.put("events", recentEvents.of(n.id()));
                        subscribers.add(subscriber);
                    });
            body.put("subscribers", subscribers);
            body.put("yaml", yamlOf(trigger));
        });
        json(ctx, body);
    }

    private Optional<Trigger> trigger(String node) {
        String[] parts = node.split("/");
        if (parts.length != 3 || !parts[0].equals("Trigger")) {
            return Optional.empty();
        }
        return catalog.find(Trigger.class, parts[1], parts[2]);
    }

    /** What the condition tester posts: the Trigger as written, without its status. */
    private String yamlOf(Trigger trigger) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", trigger.getApiVersion());
        manifest.put("kind", trigger.getKind());
        manifest.put("metadata", Map.of("name", trigger.getMetadata().getName(), "namespace",
                trigger.getMetadata().getNamespace()));
        manifest.put("spec", trigger.getSpec());
        try {
            return yaml.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            return "# the Trigger could not be written as YAML: " + e.getOriginalMessage();
        }
    }

    private void json(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("content-type", "application/json").end(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
