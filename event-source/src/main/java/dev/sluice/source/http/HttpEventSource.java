package dev.sluice.source.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.eventsource.EventSourceSpec;
import dev.sluice.api.eventsource.HttpEventSpec;
import dev.sluice.bus.BusConfig;
import dev.sluice.bus.BusFullException;
import dev.sluice.secrets.Secrets;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventLimits;
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
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * {@code spec.http}: {@code POST /{namespace}/{eventsource}/{event}}. Answers 202 only once the bus has
 * acknowledged every event of the request; 400 not a CloudEvent (or an attribute over its limit or holding a
 * control character), 404 unknown event, 413 too large (body or batch), 415 wrong content type, 429 over the
 * concurrent request limit (with {@code Retry-After}), 431 headers too large (Quarkus), 503 (with
 * {@code Retry-After}) the bus did not acknowledge within {@code sluice.bus.publish-timeout}, 507 (with
 * {@code Retry-After}) the bus is out of storage (the embedded broker's disk is nearly full). An event with
 * {@code auth} first checks the sender ({@link SenderCheck}): 401 with {@code WWW-Authenticate} without
 * credentials, 401 for a wrong token or JWT, 403 for a wrong signature.
 */
@ApplicationScoped
@Identifier(HttpEventSource.TYPE)
public class HttpEventSource implements EventSourceAdapter<HttpEventSpec> {
    static final String TYPE = "http";
    private static final Logger LOG = Logger.getLogger(HttpEventSource.class);
    /** Freeing disk space takes a person: no point in asking again within seconds. */
    private static final int FULL_RETRY_AFTER_SECONDS = 30;

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

    @Inject
    EventLimits limits;

    /** Quarkus's own limit on a request's headers, which answers 431 over it; binary mode's attributes are there. */
    @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K")
    MemorySize maxHeaderSize;

    /** Room for what a Kafka record adds to an event: the record's framing, the ce_ header names. */
    private static final int RECORD_OVERHEAD_BYTES = 4096;

    private final AtomicInteger inFlight = new AtomicInteger();

    private HttpRequestReader reader;
    private SourceMeters unknownEvents;

    /** An event that accepts requests: its size limit, who may send, where its events go, and its meters. */
    private record Served(int maxBodyBytes, Optional<SenderCheck> sender, EventPublisher publisher, SourceMeters meters) {
    }

    private final Map<String, Served> served = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        long largestRecord = (long) config.maxBodyBytes() + maxHeaderSize.asLongValue() + RECORD_OVERHEAD_BYTES;
        if (largestRecord > bus.maxRecordBytes()) {
            // a body at the limit would be taken and then refused by the bus, 503 forever: refuse to start instead
            throw new IllegalStateException("sluice.http.max-body-bytes (" + config.maxBodyBytes()
                    + ") plus quarkus.http.limits.max-header-size (" + maxHeaderSize.asLongValue() + ") and "
                    + RECORD_OVERHEAD_BYTES + " bytes of record overhead exceed sluice.bus.max-record-bytes ("
                    + bus.maxRecordBytes() + "); raise it to at least " + largestRecord);
        }
        reader = new HttpRequestReader(mapper, config.maxBatchEvents());
        unknownEvents = SourceMeters.unknown(registry, type());
        router.post("/:namespace/:source/:event")
                .handler((PlatformHandler) this::admit) // Vert.x runs platform handlers before the body handler
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::ingest)
                .failureHandler(this::tooLarge);
    }

    /**
     * Takes a request in only while fewer than {@code sluice.http.max-concurrent-requests} are being served, before
     * its body is read; the others get 429 with {@code Retry-After}.
     */
    private void admit(RoutingContext ctx) {
        if (inFlight.incrementAndGet() > config.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            // its body is never read, so the connection cannot carry another request
            ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, config.retryAfter().toSeconds())))
                    .putHeader("Connection", "close");
            answer(ctx, meters(ctx), System.nanoTime(), 429, 1, "over " + config.maxConcurrentRequests()
                    + " concurrent requests (sluice.http.max-concurrent-requests); try again");
            return;
        }
        // once per admitted request, however many times Vert.x ends it (a closed connection, then the response)
        AtomicBoolean ended = new AtomicBoolean();
        ctx.addEndHandler(done -> {
            if (ended.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        });
        ctx.next();
    }

    /**
     * The body handler refuses a body over the service's limit; the answer says which limit. A client that went
     * away before its body arrived has nobody to answer.
     */
    private void tooLarge(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            answer(ctx, meters(ctx), System.nanoTime(), 413, 1, tooLargeMessage(config.maxBodyBytes()));
        } else if (ctx.failure() instanceof HttpClosedException) {
            LOG.debugf("Client of %s went away before its body arrived", ctx.request().path());
        } else {
            ctx.next();
        }
    }

    private SourceMeters meters(RoutingContext ctx) {
        Served target = served.get(path(ctx.pathParam("namespace"), ctx.pathParam("source"), ctx.pathParam("event")));
        return target == null ? unknownEvents : target.meters();
    }

    private static String tooLargeMessage(int limit) {
        return "body larger than " + limit + " bytes (sluice.http.max-body-bytes or the event's maxBodyBytes)";
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
                throw new IngressException(413, tooLargeMessage(target.maxBodyBytes()));
            }
            List<CloudEvent> events = reader.read(key, ctx.request().headers(), ctx.body().buffer());
            for (int i = 0; i < events.size(); i++) {
                String at = events.size() > 1 ? "batch[" + i + "]: " : "";
                limits.violation(events.get(i)).ifPresent(why -> {
                    throw new IngressException(400, at + why);
                });
            }
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
                            if (cause instanceof BusFullException) {
                                // the embedded broker's disk is nearly full: a client should come back later
                                ctx.response().putHeader("Retry-After", String.valueOf(FULL_RETRY_AFTER_SECONDS));
                                answer(ctx, meters, start, 507, events.size(), "bus out of storage: " + why);
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
