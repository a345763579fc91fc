package dev.sluice.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.sluice.api.InvalidSpecException;
import dev.sluice.api.Reasons;
import dev.sluice.api.SinkSpec;
import dev.sluice.tracing.EventTracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * A sync function: each event is POSTed in CloudEvents binary mode ({@code ce-*} headers, the data as the
 * body). Any 2xx means delivered; a CloudEvent in the response is the function's reply.
 */
public class HttpSink implements Sink {
    private static final Logger LOG = Logger.getLogger(HttpSink.class);

    private final WebClient client;
    private final String uri;
    private final Duration timeout;
    private final EventTracing tracing;

    HttpSink(WebClient client, String uri, Duration timeout) {
        this(client, uri, timeout, EventTracing.off());
    }

    HttpSink(WebClient client, String uri, Duration timeout, EventTracing tracing) {
        this.client = client;
        this.uri = uri;
        this.timeout = timeout;
        this.tracing = tracing;
    }

    @Override
    public CompletionStage<SinkResponse> send(CloudEvent event) {
        HttpRequest<Buffer> request = client.postAbs(uri).timeout(timeout.toMillis());
        if (!tracing.enabled()) {
            return post(request, event);
        }
        // one client span per attempt; the function continues the trace from the W3C headers it carries
        Span span = tracing.start("POST", SpanKind.CLIENT, null);
        span.setAttribute("http.request.method", "POST");
        span.setAttribute("url.full", uri);
        tracing.inject(Context.current().with(span), request::putHeader);
        return EventTracing.endWhenDone(span, post(request, event).whenComplete((response, error) -> {
            if (response != null && response.status() != SinkResponse.NO_ANSWER) {
                span.setAttribute("http.response.status_code", response.status());
            }
            if (response != null && !response.isDelivered()) {
                span.setStatus(StatusCode.ERROR, response.describe());
            }
        }));
    }

    private static CompletionStage<SinkResponse> post(HttpRequest<Buffer> request, CloudEvent event) {
        return VertxMessageFactory.createWriter(request)
                .writeBinary(event)
                .map(HttpSink::toResponse)
                .otherwise(SinkResponse::unreachable)
                .toCompletionStage();
    }

    @Override
    public String destination() {
        return uri;
    }

    private static SinkResponse toResponse(HttpResponse<Buffer> response) {
        return SinkResponse.answered(response.statusCode(), response.bodyAsString(), reply(response),
                retryAfter(response.getHeader("Retry-After"), Instant.now()));
    }

    private static Optional<CloudEvent> reply(HttpResponse<Buffer> response) {
        String contentType = response.getHeader("content-type");
        boolean structured = contentType != null && contentType.startsWith("application/cloudevents");
        if (response.getHeader("ce-specversion") == null && !structured) {
            return Optional.empty();
        }
        try {
            return Optional.of(VertxMessageFactory.createReader(response).toEvent());
        } catch (RuntimeException e) {
            // a malformed reply does not undo the delivery; the sink accepted the event
            LOG.debugf("Ignored a reply that is not a CloudEvent: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reads a {@code Retry-After} header: delay seconds, or an HTTP date (RFC 1123) counted from {@code now}.
     * Anything else is ignored, as if the header were absent.
     */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** {@code sink.uri}: an absolute http or https URI. */
    @ApplicationScoped
    @Identifier(SinkSpec.URI)
    public static class Type implements SinkType {
        /** Connections per sink host; a subscriber's maxInFlight is what really limits concurrency. */
        private static final int MAX_CONNECTIONS_PER_HOST = 100;

        @Inject
        Vertx vertx;

        @Inject
        EventTracing tracing;

        private volatile WebClient client;

        @Override
        public String name() {
            return SinkSpec.URI;
        }

        @Override
        public Sink open(SinkTarget target, SinkOwner owner, Duration timeout) {
            return new HttpSink(client(), validated(target), timeout, tracing);
        }

        private static String validated(SinkTarget target) {
            String address = target.address();
            try {
                URI uri = new URI(address == null ? "" : address.trim());
                String scheme = uri.getScheme();
                if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                    throw new URISyntaxException(String.valueOf(address), "not an absolute http(s) URI");
                }
                return uri.toString();
            } catch (URISyntaxException e) {
                throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, target.field(),
                        "'" + address + "' is not an absolute http or https URI");
            }
        }

        private WebClient client() {
            WebClient current = client;
            if (current == null) {
                synchronized (this) {
                    if (client == null) {
                        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
                                .setMaxPoolSize(MAX_CONNECTIONS_PER_HOST).setFollowRedirects(false)
                                // Vert.x's own tracing would look for the parent on the event loop, not
                                // where the delivery runs, and overwrite our traceparent with a new trace
                                .setTracingPolicy(TracingPolicy.IGNORE));
                    }
                    current = client;
                }
            }
            return current;
        }

        @PreDestroy
        void close() {
            if (client != null) {
                client.close();
            }
        }
    }
}
