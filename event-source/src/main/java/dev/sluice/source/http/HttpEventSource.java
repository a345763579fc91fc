package dev.sluice.source.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.eventsource.HttpEventSpec;
import dev.sluice.config.SluiceConfig;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.EventSourceAdapter;
import dev.sluice.source.IngressException;
import dev.sluice.source.SinkPublisher;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Identifier;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code spec.http}: {@code POST /{namespace}/{eventsource}/{event}}. Answers 202 only once the bus has
 * acknowledged every event of the request; 400 not a CloudEvent, 404 unknown event, 413 too large, 415
 * wrong content type, 503 the bus did not acknowledge in time.
 */
@ApplicationScoped
@Identifier("http")
public class HttpEventSource implements EventSourceAdapter<HttpEventSpec> {
    private static final Logger LOG = Logger.getLogger(HttpEventSource.class);

    @Inject
    SluiceConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    private HttpRequestReader reader;

    /** An event that accepts requests: its size limit and where its events go. */
    private record Served(int maxBodyBytes, EventPublisher publisher) {
    }

    private final Map<String, Served> served = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        reader = new HttpRequestReader(mapper);
        router.post("/:namespace/:source/:event")
                .handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes()))
                .handler(this::ingest);
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Map<String, HttpEventSpec> events(EventSourceSpec spec) {
        return spec.getHttp();
    }

    @Override
    public void start(EventKey key, HttpEventSpec spec, EventPublisher publisher) {
        int limit = config.http().maxBodyBytes();
        if (spec != null && spec.getMaxBodyBytes() != null) {
            if (spec.getMaxBodyBytes() <= 0 || spec.getMaxBodyBytes() > limit) {
                throw new InvalidSpecException("InvalidLimit", "spec.http." + key.event() + ".maxBodyBytes",
                        "must be between 1 and the service's limit " + limit);
            }
            limit = spec.getMaxBodyBytes();
        }
        served.put(path(key.namespace(), key.eventSource(), key.event()), new Served(limit, publisher));
    }

    @Override
    public void stop(EventKey key) {
        served.remove(path(key.namespace(), key.eventSource(), key.event()));
    }

    private void ingest(RoutingContext ctx) {
        long start = System.nanoTime();
        EventKey key = new EventKey(ctx.pathParam("namespace"), ctx.pathParam("source"), ctx.pathParam("event"));
        Served target = served.get(path(key.namespace(), key.eventSource(), key.event()));
        try {
            if (target == null) {
                throw new IngressException(404, "no EventSource '" + key.eventSource() + "' with http event '"
                        + key.event() + "' in namespace '" + key.namespace() + "'");
            }
            if (ctx.body().length() > target.maxBodyBytes()) {
                throw new IngressException(413, "body larger than " + target.maxBodyBytes() + " bytes");
            }
            List<CloudEvent> events = reader.read(key, ctx.request().headers(), ctx.body().buffer());
            CompletableFuture<?>[] acks = events.stream()
                    .map(e -> target.publisher().publish(e).toCompletableFuture()).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(acks)
                    .orTimeout(config.bus().publishTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .whenComplete((ok, error) -> {
                        if (error == null) {
                            answer(ctx, key, start, 202, null);
                        } else {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            String why = cause instanceof TimeoutException ? "no acknowledgement within "
                                    + config.bus().publishTimeout().toMillis() + " ms" : cause.getMessage();
                            if (cause instanceof SinkPublisher.SinkRefusedException refusal && refusal.isFinal()) {
                                // spec.sink: the function itself refused the event; retrying will not help
                                answer(ctx, key, start, 502, why);
                                return;
                            }
                            LOG.warnf("Event %s for %s not acknowledged: %s", events.get(0).getId(), key, why);
                            answer(ctx, key, start, 503, "destination unavailable: " + why);
                        }
                    });
        } catch (IngressException e) {
            LOG.debugf("Refused request for %s: %d %s", key, e.status(), e.getMessage());
            answer(ctx, key, start, e.status(), e.getMessage());
        }
    }

    private void answer(RoutingContext ctx, EventKey key, long start, int status, String message) {
        String outcome = status == 202 ? "accepted" : status == 503 ? "unavailable" : "rejected";
        // unknown paths must not mint a time series each
        EventKey tags = status == 404 ? new EventKey("unknown", "unknown", "unknown") : key;
        registry.counter("sluice.source.received", "namespace", tags.namespace(), "eventsource", tags.eventSource(),
                "event", tags.event(), "type", "http", "outcome", outcome, "code", String.valueOf(status)).increment();
        Timer.builder("sluice.source.ingress.latency").tag("type", "http").tag("outcome", outcome)
                .publishPercentileHistogram().register(registry).record(System.nanoTime() - start,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
        if (message == null) {
            ctx.response().setStatusCode(status).end();
        } else {
            ctx.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8")
                    .end(message + "\n");
        }
    }

    private static String path(String namespace, String source, String event) {
        return namespace + "/" + source + "/" + event;
    }
}
