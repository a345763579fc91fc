package dev.sluice.source.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.bus.BusSubscription;
import dev.sluice.bus.Buses;
import dev.sluice.embedded.EmbeddedKafkaBroker;
import dev.sluice.source.EventKey;
import dev.sluice.source.EventPublisher;
import io.cloudevents.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class HttpEventSourceTest {

    @Inject
    Buses buses;

    @Inject
    EmbeddedKafkaBroker broker;

    @Inject
    @Identifier("http")
    HttpEventSource source;

    @Test
    void everyModeIsAcceptedAfterTheBusAcknowledgedAndArrivesUnchanged() {
        Map<String, CloudEvent> onBus = new ConcurrentHashMap<>();
        try (BusSubscription subscription = buses.resolve("default", "default", "spec.eventBus").bus()
                .subscribe("http-source-test", List.of("default-shop-orders"), e -> {
                    onBus.put(e.event().getId(), e.event());
                    return CompletableFuture.completedFuture(null);
                })) {
            await().atMost(Duration.ofSeconds(30)).until(subscription::isAssigned);

            given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "bin-1")
                    .header("ce-source", "/test").header("ce-type", "shop.order").header("ce-subject", "o-1")
                    .body("{\"amount\":150}").post("/default/shop/orders").then().statusCode(202);
            given().contentType("application/cloudevents+json")
                    .body("{\"specversion\":\"1.0\",\"id\":\"str-1\",\"source\":\"/test\",\"type\":\"shop.order\","
                            + "\"datacontenttype\":\"application/json\",\"data\":{\"amount\":5}}")
                    .post("/default/shop/orders").then().statusCode(202);
            given().contentType("application/cloudevents-batch+json")
                    .body("[{\"specversion\":\"1.0\",\"id\":\"bat-1\",\"source\":\"/test\",\"type\":\"shop.order\"},"
                            + "{\"specversion\":\"1.0\",\"id\":\"bat-2\",\"source\":\"/test\",\"type\":\"shop.order\"}]")
                    .post("/default/shop/orders").then().statusCode(202);
            given().contentType("application/json").body("{\"amount\":7}").post("/default/shop/orders")
                    .then().statusCode(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> onBus.size() == 5);
        }
        CloudEvent binary = onBus.get("bin-1");
        assertThat(binary.getSource()).hasToString("/test");
        assertThat(binary.getType()).isEqualTo("shop.order");
        assertThat(binary.getSubject()).isEqualTo("o-1");
        assertThat(new String(binary.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":150}");
        assertThat(onBus).containsKeys("str-1", "bat-1", "bat-2");
        CloudEvent wrapped = onBus.values().stream()
                .filter(e -> e.getType().equals(HttpRequestReader.WRAPPED_TYPE)).findFirst().orElseThrow();
        assertThat(wrapped.getSource()).hasToString("/apis/v1alpha1/namespaces/default/eventsources/shop#orders");
        assertThat(new String(wrapped.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":7}");
    }

    @Test
    void aNearlyFullBrokerDiskAnswers507UntilSpaceIsFreedAndNothingRefusedReachesTheBus() {
        Map<String, CloudEvent> onBus = new ConcurrentHashMap<>();
        try (BusSubscription subscription = buses.resolve("default", "default", "spec.eventBus").bus()
                .subscribe("disk-guard-test", List.of("default-shop-orders"), e -> {
                    if (e.event().getId().startsWith("disk-")) {
                        onBus.put(e.event().getId(), e.event());
                    }
                    return CompletableFuture.completedFuture(null);
                })) {
            await().atMost(Duration.ofSeconds(30)).until(subscription::isAssigned);
            postOrder("disk-before").statusCode(202);

            broker.minFreeDisk(Long.MAX_VALUE); // more than any disk has free
            for (int i = 0; i < 3; i++) {
                postOrder("disk-refused-" + i).statusCode(507).header("Retry-After", "30")
                        .body(containsString("sluice.embedded-kafka.min-free-disk"));
            }
            broker.minFreeDisk(0); // space freed
            postOrder("disk-after").statusCode(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> onBus.size() == 2);
            assertThat(onBus).containsOnlyKeys("disk-before", "disk-after");
        } finally {
            broker.minFreeDisk(-1); // the configured threshold again
        }
    }

    private static ValidatableResponse postOrder(String id) {
        return given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/test").header("ce-type", "shop.order").body("{\"amount\":1}")
                .post("/default/shop/orders").then();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            binary without id          | /default/shop/orders   | application/json                   | true  | {}                 | 400 | 'id' cannot be null
            plain body that is not JSON | /default/shop/orders  | application/json                   | false | {oops              | 400 | not JSON
            empty JSON body            | /default/shop/orders   | application/json                   | false | ` `                | 400 | empty body
            batch that is not an array | /default/shop/orders   | application/cloudevents-batch+json | false | {}                 | 400 | JSON array
            batch with a bad event     | /default/shop/orders   | application/cloudevents-batch+json | false | [{"id":"x"}]       | 400 | batch[0]
            structured that is broken  | /default/shop/orders   | application/cloudevents+json       | false | {"specversion":"9"} | 400 | not a valid CloudEvent
            text that is no CloudEvent | /default/shop/orders   | text/plain                         | false | hello              | 415 | unsupported content type
            unknown event              | /default/shop/refunds  | application/json                   | false | {}                 | 404 | no EventSource 'shop' with http event 'refunds'
            unknown event source       | /default/nope/orders   | application/json                   | false | {}                 | 404 | no EventSource 'nope'
            source whose spec is bad   | /default/typo/orders   | application/json                   | false | {}                 | 404 | no EventSource 'typo'
            over the event's own limit | /default/shop/small    | application/json                   | false | {"pad":"..................................................................."} | 413 | larger than 64 bytes
            """)
    void refusalsCarryTheirStatusAndAShortReason(String name, String path, String contentType, boolean binaryHeaders,
            String body, int status, String reason) {
        var request = given().contentType(contentType).body(body);
        if (binaryHeaders) {
            request.header("ce-specversion", "1.0").header("ce-source", "/test").header("ce-type", "t");
        }
        request.post(path).then().statusCode(status).body(containsString(reason));
    }

    /** The service's limits as the test profile leaves them: the defaults, but 32 concurrent requests. */
    private static final int BODY_LIMIT = 1_048_576;
    private static final int ATTRIBUTE_LIMIT = 4096;
    private static final int BATCH_LIMIT = 1000;
    private static final int CONCURRENCY_LIMIT = 32;

    static Stream<Arguments> limits() {
        // each request is made when the test runs, once RestAssured knows the test port
        String event = "{\"specversion\":\"1.0\",\"id\":\"b\",\"source\":\"/t\",\"type\":\"t\"}";
        return Stream.of(
                Arguments.of("body at the limit, on the bus with its attributes", (Supplier<RequestSpecification>) () -> binary("a", json(BODY_LIMIT)), 202, ""),
                Arguments.of("body one byte over the limit", (Supplier<RequestSpecification>) () -> binary("a", json(BODY_LIMIT + 1)), 413,
                        "larger than 1048576 bytes (sluice.http.max-body-bytes"),
                Arguments.of("attribute at the limit", (Supplier<RequestSpecification>) () -> binary("x".repeat(ATTRIBUTE_LIMIT), "{}"), 202, ""),
                Arguments.of("attribute one byte over the limit", (Supplier<RequestSpecification>) () -> binary("x".repeat(ATTRIBUTE_LIMIT + 1), "{}"), 400,
                        "attribute 'subject' is 4097 bytes, over the limit of 4096 (sluice.sources.max-attribute-bytes)"),
                Arguments.of("CR LF in an attribute", (Supplier<RequestSpecification>) () -> structured("{\"specversion\":\"1.0\",\"id\":\"crlf\","
                        + "\"source\":\"/t\",\"type\":\"a\\r\\nX-Injected: 1\"}"), 400,
                        "attribute 'type' holds a control character (U+000D)"),
                Arguments.of("NUL in an extension", (Supplier<RequestSpecification>) () -> structured("{\"specversion\":\"1.0\",\"id\":\"nul\","
                        + "\"source\":\"/t\",\"type\":\"t\",\"tenant\":\"a\\u0000b\"}"), 400,
                        "attribute 'tenant' holds a control character (U+0000)"),
                Arguments.of("batch at the limit", (Supplier<RequestSpecification>) () -> batch(event, BATCH_LIMIT), 202, ""),
                Arguments.of("batch one event over the limit", (Supplier<RequestSpecification>) () -> batch(event, BATCH_LIMIT + 1), 413,
                        "batch of 1001 events, over the limit of 1000 (sluice.http.max-batch-events)"),
                Arguments.of("headers over Quarkus's limit", (Supplier<RequestSpecification>) () -> given().contentType("application/json")
                        .header("x-padding", "x".repeat(30_000)).body("{}"), 431, ""));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("limits")
    void everyLimitHasItsAnswer(String name, Supplier<RequestSpecification> request, int status, String message) {
        request.get().post("/default/shop/orders").then().statusCode(status).body(containsString(message));
    }

    @Test
    void requestsOverTheConcurrencyLimitGet429WithRetryAfterBeforeTheirBodyIsRead() throws Exception {
        // each held request sends its head and promises a body it never sends: admitted, it waits for the body
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CONCURRENCY_LIMIT; i++) {
                Socket socket = new Socket("127.0.0.1", RestAssured.port);
                socket.getOutputStream().write(("POST /default/shop/orders HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                held.add(socket);
            }
            // the server admits the held requests on its event loop as it reads them: until it has counted all of
            // them, one more may still be admitted (and answered 202 at once), so ask again until it is not
            await("a request over the limit of the held ones").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(rawPost("(sluice.http.max-concurrent-requests)", "HTTP/1.1 202"))
                            .startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 1")
                            .contains("over 32 concurrent requests (sluice.http.max-concurrent-requests)"));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rawPost("HTTP/1.1 202"))
                .as("the held requests ended, so there is room again").startsWith("HTTP/1.1 202"));
    }

    /** POSTs a small event on a connection of its own and reads the answer until it holds one of {@code until}. */
    private static String rawPost(String... until) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /default/shop/orders HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[1024];
            int read = 0;
            int n;
            String text = "";
            while (Arrays.stream(until).noneMatch(text::contains) && (n = socket.getInputStream().read(answer, read, answer.length - read)) > 0) {
                read += n;
                text = new String(answer, 0, read, StandardCharsets.US_ASCII);
            }
            return text;
        }
    }

    private static RequestSpecification binary(String subject, String body) {
        return given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "lim")
                .header("ce-source", "/test").header("ce-type", "t").header("ce-subject", subject).body(body);
    }

    private static RequestSpecification structured(String body) {
        return given().contentType("application/cloudevents+json").body(body);
    }

    private static RequestSpecification batch(String event, int count) {
        return given().contentType("application/cloudevents-batch+json")
                .body("[" + String.join(",", Collections.nCopies(count, event)) + "]");
    }

    /** A JSON object of exactly {@code bytes} bytes. */
    private static String json(int bytes) {
        String json = "{\"pad\":\"" + "x".repeat(bytes - 10) + "\"}";
        assertThat(json).hasSize(bytes);
        return json;
    }

    @Test
    void aBusThatFailsOrDoesNotAnswerGives503() {
        EventKey failing = new EventKey("default", "fake", "failing");
        EventKey silent = new EventKey("default", "fake", "silent");
        source.start(failing, null, new FakePublisher(CompletableFuture.failedFuture(new IllegalStateException("broker gone"))));
        source.start(silent, null, new FakePublisher(new CompletableFuture<>()));
        try {
            given().contentType("application/json").body("{}").post("/default/fake/failing")
                    .then().statusCode(503).body(containsString("broker gone"));
            given().contentType("application/json").body("{}").post("/default/fake/silent")
                    .then().statusCode(503).body(containsString("no acknowledgement within 2000 ms"));
        } finally {
            source.stop(failing);
            source.stop(silent);
        }
        given().contentType("application/json").body("{}").post("/default/fake/failing").then().statusCode(404);
    }

    @Test
    void badResourcesAreNotReadyWithAReasonNamingTheFieldWhileGoodOnesServe() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath resources = given().get("/resources").then().statusCode(200).extract().jsonPath();
            assertThat(ready(resources, "shop")).isEqualTo("True");
            assertThat(reason(resources, "typo")).isEqualTo("UnknownSourceType");
            assertThat(message(resources, "typo")).contains("spec.nats");
            assertThat(reason(resources, "nowhere")).isEqualTo("DestinationMissing");
            assertThat(message(resources, "nowhere")).contains("spec.eventBus");
            assertThat(reason(resources, "lost")).isEqualTo("BusNotFound");
            assertThat(message(resources, "lost")).contains("spec.eventBus", "missing", "team-a");
            assertThat(reason(resources, "wrong-type")).isEqualTo("SpecNotParsed");
            assertThat(message(resources, "wrong-type")).contains("spec.http.orders.maxBodyBytes");
        });
    }

    private static String ready(JsonPath resources, String name) {
        return resources.getString("find { it.name == '" + name + "' }.status.conditions.find { it.type == 'Ready' }.status");
    }

    private static String reason(JsonPath resources, String name) {
        return resources.getString("find { it.name == '" + name + "' }.status.conditions.find { it.type == 'Ready' }.reason");
    }

    private static String message(JsonPath resources, String name) {
        return resources.getString("find { it.name == '" + name + "' }.status.conditions.find { it.type == 'Ready' }.message");
    }

    /** A publisher whose acknowledgement is given: failed, or never. */
    private record FakePublisher(CompletableFuture<Void> ack) implements EventPublisher {
        @Override
        public CompletionStage<Void> publish(CloudEvent event) {
            return ack;
        }

        @Override
        public String identity() {
            return "fake";
        }
    }
}
