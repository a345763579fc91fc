package dev.sluice.source.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.eventsource.HttpEventSpec;
import dev.sluice.bus.BusConfig;
import dev.sluice.secrets.Secrets;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventPublisher;
import dev.sluice.source.EventSourceAdapter;
import dev.sluice.source.IngressException;
import dev.sluice.source.SinkPublisher;
import dev.sluice.source.SourceMeters;
import dev.sluice.tracing.EventTracing;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code spec.http}: {@code POST /{namespace}/{eventsource}/{event}}. Answers 202 only once the bus has
 * acknowledged every event of the request; 400 not a CloudEvent, 404 unknown event, 413 too large, 415
 * wrong content type, 503 (with {@code Retry-After}) the bus did not acknowledge within
 * {@code sluice.bus.publish-timeout}. An event with {@code auth} first checks the
 * sender ({@link SenderCheck}): 401 with {@code WWW-Authenticate} without credentials, 401 for a wrong token or
 * JWT, 403 for a wrong signature.
 */
@ApplicationScoped
@Identifier(HttpEventSource.TYPE)
public class HttpEventSource implements EventSourceAdapter<HttpEventSpec> {
    static final String TYPE = "http";
    private static final Logger LOG = Logger.getLogger(HttpEventSource.class);

    @Inject
    HttpSourceConfig config;

    @Inject
    BusConfig bus;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    EventTracing tracing;

    @Inject
    Secrets secrets;

    @Inject
    Vertx vertx;

    private HttpRequestReader reader;
    private SourceMeters unknownEvents;

    /** An event that accepts requests: its size limit, who may send, where its events go, and its meters. */
    private record Served(int maxBodyBytes, Optional<SenderCheck> sender, EventPublisher publisher, SourceMeters meters) {
    }

    private final Map<String, Served> served = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        reader = new HttpRequestReader(mapper);
        unknownEvents = SourceMeters.unknown(registry, type());
        router.post("/:namespace/:source/:event")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::ingest);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, HttpEventSpec> events(EventSourceSpec spec) {
        return spec.getHttp();
    }

    @Override
    public void start(EventKey key, HttpEventSpec spec, EventPublisher publisher) {
        int limit = config.maxBodyBytes();
        if (spec != null && spec.getMaxBodyBytes() != null) {
            if (spec.getMaxBodyBytes() <= 0 || spec.getMaxBodyBytes() > limit) {
                throw new InvalidSpecException(Reasons.INVALID_LIMIT, "spec.http." + key.event() + ".maxBodyBytes",
                        "must be between 1 and the service's limit " + limit);
            }
            limit = spec.getMaxBodyBytes();
        }
        Optional<SenderCheck> sender = SenderCheck.of(spec == null ? null : spec.getAuth(), key.namespace(),
                "spec.http." + key.event() + ".auth", secrets, vertx);
        served.put(path(key.namespace(), key.eventSource(), key.event()),
                new Served(limit, sender, publisher, new SourceMeters(registry, type(), key)));
    }

    @Override
    public void stop(EventKey key) {
        served.remove(path(key.namespace(), key.eventSource(), key.event()));
    }

    private void ingest(RoutingContext ctx) {
        long start = System.nanoTime();
        EventKey key = new EventKey(ctx.pathParam("namespace"), ctx.pathParam("source"), ctx.pathParam("event"));
        Served target = served.get(path(key.namespace(), key.eventSource(), key.event()));
        // unknown paths must not mint a time series each
        SourceMeters meters = target == null ? unknownEvents : target.meters();
        if (target == null) {
            refuse(ctx, key, meters, start, new IngressException(404, "no EventSource '" + key.eventSource()
                    + "' with http event '" + key.event() + "' in namespace '" + key.namespace() + "'"));
            return;
        }
        if (target.sender().isEmpty()) {
            accept(ctx, key, target, start);
            return;
        }
        SenderCheck sender = target.sender().get();
        sender.check(ctx.request(), ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer())
                .whenComplete((outcome, error) -> {
                    SenderCheck.Outcome result = error == null ? outcome : SenderCheck.Outcome.INVALID;
                    meters.authenticated(result.tag());
                    if (result == SenderCheck.Outcome.ACCEPTED) {
                        accept(ctx, key, target, start);
                        return;
                    }
                    if (result.status() == 401) {
                        ctx.response().putHeader("WWW-Authenticate", sender.challenge());
                    }
                    // the answer names what failed, never what was sent
                    refuse(ctx, key, meters, start, new IngressException(result.status(),
                            result == SenderCheck.Outcome.MISSING ? "credentials required"
                                    : result == SenderCheck.Outcome.INVALID ? "credentials not accepted"
                                            : "signature does not match the body"));
                });
    }

    /** The sender may post: reads the events and publishes them. */
    private void accept(RoutingContext ctx, EventKey key, Served target, long start) {
        SourceMeters meters = target.meters();
        try {
            if (ctx.body().length() > target.maxBodyBytes()) {
                throw new IngressException(413, "body larger than " + target.maxBodyBytes() + " bytes");
            }
            List<CloudEvent> events = reader.read(key, ctx.request().headers(), ctx.body().buffer());
            CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
            for (int i = 0; i < acks.length; i++) {
                acks[i] = publish(key, target, events.get(i));
            }
            CompletableFuture.allOf(acks)
                    .orTimeout(bus.publishTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .whenComplete((ok, error) -> {
                        if (error == null) {
                            answer(ctx, meters, start, 202, events.size(), null);
                        } else {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            String why = cause instanceof TimeoutException ? "no acknowledgement within "
                                    + bus.publishTimeout().toMillis() + " ms" : cause.getMessage();
                            if (cause instanceof SinkPublisher.SinkRefusedException refusal && refusal.isFinal()) {
                                // spec.sink: the function itself refused the event; retrying will not help
                                answer(ctx, meters, start, 502, events.size(), why);
                                return;
                            }
                            LOG.warnf("Event %s for %s not acknowledged: %s", events.get(0).getId(), key, why);
                            answer(ctx, meters, start, 503, events.size(), "destination unavailable: " + why);
                        }
                    });
        } catch (IngressException e) {
            refuse(ctx, key, meters, start, e);
        }
    }

    private void refuse(RoutingContext ctx, EventKey key, SourceMeters meters, long start, IngressException e) {
        LOG.debugf("Refused request for %s: %d %s", key, e.status(), e.getMessage());
        answer(ctx, meters, start, e.status(), 1, e.getMessage());
    }

    /**
     * Hands one event to its publisher. With tracing on, inside an ingest span that continues the event's own
     * trace when it carries a {@code traceparent}, else the request's; an event without one leaves with the
     * ingest span's, so that the trigger and the sink join the same trace.
     */
    private CompletableFuture<Void> publish(EventKey key, Served target, CloudEvent event) {
        if (!tracing.enabled()) {
            return target.publisher().publish(event).toCompletableFuture();
        }
        Context parent = event.getExtension(EventTracing.TRACEPARENT) != null ? tracing.contextOf(event)
                : Context.current();
        Span span = tracing.start("ingest " + key, SpanKind.INTERNAL, parent);
        span.setAttribute("cloudevents.event_id", event.getId());
        span.setAttribute("cloudevents.event_source", event.getSource().toString());
        span.setAttribute("cloudevents.event_type", event.getType());
        span.setAttribute("messaging.destination.name", key.topic());
        Context ingest = parent.with(span);
        try (Scope ignored = ingest.makeCurrent()) {
            return EventTracing.endWhenDone(span, target.publisher().publish(tracing.withContext(event, ingest)))
                    .toCompletableFuture();
        }
    }

    private void answer(RoutingContext ctx, SourceMeters meters, long start, int status, int events, String message) {
        meters.answered(status, events, start);
        if (status == 503) {
            ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, config.retryAfter().toSeconds())));
        }
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
