package dev.sluice.sink;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

class HttpSinkTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static Vertx vertx;
    private static WebClient client;
    private static HttpServer server;
    private static final List<HttpExchange> hanging = new CopyOnWriteArrayList<>();
    private static final Map<String, Map<String, String>> headersSeen = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
        server.start();
    }

    @AfterAll
    static void stop() {
        hanging.forEach(HttpExchange::close);
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
        SinkResponse response = new HttpSink(client, "http://127.0.0.1:" + closedPort + "/", Duration.ofSeconds(5))
                .send(event()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(SinkResponse.NO_ANSWER);
        assertThat(response.failure()).isPresent();
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
        return new HttpSink(client, uri.toString(), timeout).send(event()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static CloudEvent event() {
        return CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t")
                .withDataContentType("application/json").withData("{}".getBytes(StandardCharsets.UTF_8)).build();
    }
}
