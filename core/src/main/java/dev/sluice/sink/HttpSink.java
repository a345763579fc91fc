package dev.sluice.sink;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

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
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * A sync function: each event is POSTed in CloudEvents binary mode ({@code ce-*} headers, the data as the
 * body). Any 2xx means delivered; a CloudEvent in the response is the function's reply.
 * <p>
 * Each send has one deadline for the whole exchange, connecting included, so a sink that trickles its answer
 * byte by byte still ends as a timeout. The answer's body is read up to a cap. Before anything is written, the
 * address the connection really reached is checked against the {@link EgressPolicy}: a host name that resolved to
 * an allowed address when the resource was reconciled and to a denied one now (DNS rebinding) gets nothing.
 */
public class HttpSink implements Sink {
    private static final Logger LOG = Logger.getLogger(HttpSink.class);

    private final Vertx vertx;
    private final HttpClient client;
    private final String uri;
    private final RequestOptions target;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final EgressPolicy egress;
    private final EventTracing tracing;

    HttpSink(Vertx vertx, HttpClient client, String uri, Duration timeout, int maxResponseBytes, EgressPolicy egress,
            EventTracing tracing) {
        this.vertx = vertx;
        this.client = client;
        this.uri = uri;
        this.target = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri);
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.egress = egress;
        this.tracing = tracing;
    }

    @Override
    public CompletionStage<SinkResponse> send(CloudEvent event) {
        RequestOptions request = new RequestOptions(target);
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

    private CompletionStage<SinkResponse> post(RequestOptions options, CloudEvent event) {
        Exchange exchange = new Exchange();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Buffer body = BinaryRequest.write(event, headers);
        options.setHeaders(headers.addAll(options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap()
                : options.getHeaders()));
        long deadline = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> exchange.fail(
                new TimeoutException("no complete answer within " + timeout.toMillis() + " ms")));
        exchange.result.whenComplete((response, error) -> vertx.cancelTimer(deadline));
        client.request(options).onComplete(opened -> {
            if (opened.failed()) {
                exchange.fail(opened.cause());
                return;
            }
            HttpClientRequest request = opened.result();
            request.exceptionHandler(exchange::fail); // a reset of ours ends here, not in Vert.x's error log
            if (!exchange.attach(request)) {
                return; // the deadline passed while connecting
            }
            SocketAddress remote = request.connection().remoteAddress(true);
            InetAddress address = remote == null || remote.hostAddress() == null ? null : inet(remote.hostAddress());
            if (address == null || egress.refuses(address)) {
                request.connection().close();
                exchange.fail(new SinkNotAllowedException(uri + " connected to " + (remote == null ? "an unknown address"
                        : remote.hostAddress()) + ", which sluice.egress.deny refuses"));
                return;
            }
            request.send(body).onComplete(sent -> {
                if (sent.failed()) {
                    exchange.fail(sent.cause());
                } else {
                    read(sent.result(), request, exchange);
                }
            });
        });
        return exchange.result;
    }

    /** Reads the answer's body up to the cap; a longer one is cut there and its connection closed. */
    private void read(HttpClientResponse response, HttpClientRequest request, Exchange exchange) {
        Buffer body = Buffer.buffer();
        response.exceptionHandler(exchange::fail);
        response.handler(chunk -> {
            if (exchange.result.isDone()) {
                return;
            }
            int room = maxResponseBytes - body.length();
            if (chunk.length() <= room) {
                body.appendBuffer(chunk);
                return;
            }
            body.appendBuffer(chunk, 0, Math.max(0, room));
            LOG.debugf("%s answered more than %d bytes; the rest is not read", uri, maxResponseBytes);
            exchange.complete(toResponse(response, body, false));
            request.reset();
        });
        response.endHandler(end -> exchange.complete(toResponse(response, body, true)));
    }

    /**
     * One send's outcome, completed once: by the answer, by a failure, or by the deadline, which also resets the
     * request so that its connection is not left waiting.
     */
    private static final class Exchange {
        final CompletableFuture<SinkResponse> result = new CompletableFuture<>();
        private HttpClientRequest request;

        synchronized boolean attach(HttpClientRequest opened) {
            if (result.isDone()) {
                opened.reset();
                return false;
            }
            request = opened;
            return true;
        }

        void complete(SinkResponse response) {
            result.complete(response);
        }

        void fail(Throwable error) {
            if (result.complete(SinkResponse.unreachable(error))) {
                synchronized (this) {
                    if (request != null) {
                        request.reset();
                    }
                }
            }
        }
    }

    @Override
    public String destination() {
        return uri;
    }

    private static SinkResponse toResponse(HttpClientResponse response, Buffer body, boolean complete) {
        Optional<CloudEvent> reply = complete ? reply(response.headers(), body) : Optional.empty();
        return SinkResponse.answered(response.statusCode(), body.toString(StandardCharsets.UTF_8), reply,
                retryAfter(response.getHeader("Retry-After"), Instant.now()));
    }

    private static Optional<CloudEvent> reply(MultiMap headers, Buffer body) {
        String contentType = headers.get("content-type");
        boolean structured = contentType != null && contentType.startsWith("application/cloudevents");
        if (headers.get("ce-specversion") == null && !structured) {
            return Optional.empty();
        }
        try {
            return Optional.of(VertxMessageFactory.createReader(headers, body).toEvent());
        } catch (RuntimeException e) {
            // a malformed reply does not undo the delivery; the sink accepted the event
            LOG.debugf("Ignored a reply that is not a CloudEvent: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** The address of a connected socket, which is always a literal: no name is looked up here. */
    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The connection reached an address that the egress policy denies. */
    static final class SinkNotAllowedException extends RuntimeException {
        SinkNotAllowedException(String message) {
            super(message, null, false, false);
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

        @Inject
        EgressPolicy egress;

        @Inject
        SinkConfig config;

        private volatile HttpClient client;

        @Override
        public String name() {
            return SinkSpec.URI;
        }

        /**
         * @throws InvalidSpecException {@code SinkNotResolved} for an address that is not an absolute http(s) URI,
         *         {@code SinkNotAllowed} for one whose host resolves into a range that {@code sluice.egress.deny}
         *         refuses
         */
        @Override
        public Sink open(SinkTarget target, SinkOwner owner, Duration timeout) {
            URI uri = validated(target);
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            egress.refusal(host).ifPresent(why -> {
                throw new InvalidSpecException(Reasons.SINK_NOT_ALLOWED, target.field(), why);
            });
            return new HttpSink(vertx, client(), uri.toString(), timeout, config.maxResponseBytes(), egress, tracing);
        }

        private static URI validated(SinkTarget target) {
            String address = target.address();
            try {
                URI uri = new URI(address == null ? "" : address.trim());
                String scheme = uri.getScheme();
                if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                    throw new URISyntaxException(String.valueOf(address), "not an absolute http(s) URI");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new InvalidSpecException(Reasons.SINK_NOT_RESOLVED, target.field(),
                        "'" + address + "' is not an absolute http or https URI");
            }
        }

        private HttpClient client() {
            HttpClient current = client;
            if (current == null) {
                synchronized (this) {
                    if (client == null) {
                        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                                .setMaxPoolSize(MAX_CONNECTIONS_PER_HOST)
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
