package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import dev.sluice.tracing.EventTracing;

class HttpSinkTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static Vertx vertx;
    private static HttpClient client;
    private static final AtomicInteger counted = new AtomicInteger();
    private static final EgressPolicy OPEN = new EgressPolicy(List.of());
    private static HttpServer server;
    /** Paces the trickling sink's bytes. */
    private static final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private static final List<HttpExchange> hanging = new CopyOnWriteArrayList<>();
    private static final Map<String, Map<String, String>> headersSeen = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok", exchange -> {
            headersSeen.put("/ok", Map.of("ce-id", exchange.getRequestHeaders().getFirst("ce-id"),
                    "content-type", exchange.getRequestHeaders().getFirst("content-type")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/busy", exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "3");
            byte[] body = "try later".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/hang", hanging::add); // never answers
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            // one byte every 100 ms, 50 in all: never idle, never done within the deadline
            AtomicInteger written = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> writer = new AtomicReference<>();
            writer.set(trickler.scheduleAtFixedRate(() -> {
                try {
                    exchange.getResponseBody().write('x');
                    exchange.getResponseBody().flush();
                    if (written.incrementAndGet() < 50) {
                        return;
                    }
                } catch (IOException closedByTheSink) {
                    // the sink gave up, as it should
                }
                writer.get().cancel(false);
                exchange.close();
            }, 100, 100, TimeUnit.MILLISECONDS));
        });
        server.createContext("/large", exchange -> {
            byte[] body = "y".repeat(10_000).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/counted", exchange -> {
            counted.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        hanging.forEach(HttpExchange::close);
        trickler.shutdownNow();
        server.stop(0);
        client.close();
        vertx.close();
    }

    @Test
    void postsTheEventInBinaryModeAndA2xxIsDelivered() throws Exception {
        SinkResponse response = send("/ok", Duration.ofSeconds(5));

        assertThat(response.isDelivered()).isTrue();
        assertThat(response.status()).isEqualTo(204);
        assertThat(headersSeen.get("/ok")).containsEntry("ce-id", "e-1").containsEntry("content-type", "application/json");
    }

    @Test
    void aRefusalKeepsItsStatusBodyAndRetryAfter() throws Exception {
        SinkResponse response = send("/busy", Duration.ofSeconds(5));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("try later");
        assertThat(response.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(response.isRetryable()).isTrue();
    }

    @Test
    void aSinkThatDoesNotAnswerInTimeIsUnreachable() throws Exception {
        SinkResponse response = send("/hang", Duration.ofMillis(300));

        assertThat(response.status()).isEqualTo(SinkResponse.NO_ANSWER);
        assertThat(response.failure()).isPresent();
        assertThat(response.isRetryable()).isTrue();
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SinkResponse response = sink("http://127.0.0.1:" + closedPort + "/", Duration.ofSeconds(5), 1024, OPEN)
                .send(event()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(SinkResponse.NO_ANSWER);
        assertThat(response.failure()).isPresent();
    }

    @Test
    void aSinkThatTricklesItsAnswerTimesOutAtTheDeadlineOfTheWholeExchange() throws Exception {
        long start = System.nanoTime();
        SinkResponse response = send("/trickle", Duration.ofMillis(500));

        assertThat(response.status()).isEqualTo(SinkResponse.NO_ANSWER);
        assertThat(response.failure()).hasValueSatisfying(why -> assertThat(why).contains("within 500 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aLongAnswerIsReadUpToTheCapAndKeepsItsStatus() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/large");
        SinkResponse response = sink(uri.toString(), Duration.ofSeconds(5), 1000, OPEN).send(event())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).hasSize(1000);
    }

    @Test
    void aHostNameThatNowResolvesIntoADeniedRangeGetsNothingAtSendTime() throws Exception {
        // the check at reconcile passed (say, the name resolved elsewhere then); the connection reaches loopback now
        EgressPolicy cluster = new EgressPolicy(EgressPolicy.defaults(true));
        String uri = "http://localhost:" + server.getAddress().getPort() + "/counted";
        int before = counted.get();

        SinkResponse response = sink(uri, Duration.ofSeconds(5), 1024, cluster).send(event()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(SinkResponse.NO_ANSWER);
        assertThat(response.failure()).hasValueSatisfying(why -> assertThat(why).contains("sluice.egress.deny"));
        assertThat(response.isRetryable()).isTrue();
        assertThat(counted.get()).isEqualTo(before);
        // the same sink with local mode's policy reaches it: the refusal came from the policy, not the network
        assertThat(sink(uri, Duration.ofSeconds(5), 1024, new EgressPolicy(EgressPolicy.defaults(false)))
                .send(event()).toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(204);
        assertThat(counted.get()).isEqualTo(before + 1);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(HttpSink.retryAfter("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(HttpSink.retryAfter("Sun, 01 Mar 2026 10:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(HttpSink.retryAfter("Sun, 01 Mar 2026 09:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(HttpSink.retryAfter("soon", NOW)).isEmpty();
        assertThat(HttpSink.retryAfter("-3", NOW)).isEmpty();
        assertThat(HttpSink.retryAfter(null, NOW)).isEmpty();
    }

    private static SinkResponse send(String path, Duration timeout) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return sink(uri.toString(), timeout, 1024, OPEN).send(event()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpSink sink(String uri, Duration timeout, int maxResponseBytes, EgressPolicy egress) {
        return new HttpSink(vertx, client, uri, timeout, maxResponseBytes, egress, EventTracing.off());
    }

    private static CloudEvent event() {
        return CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t")
                .withDataContentType("application/json").withData("{}".getBytes(StandardCharsets.UTF_8)).build();
    }
}
