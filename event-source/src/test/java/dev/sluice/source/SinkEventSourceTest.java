package dev.sluice.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.api.Condition;
import dev.sluice.api.Reasons;
import dev.sluice.embedded.EmbeddedKafkaBroker;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.source.kafka.SourceTopic;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code spec.sink} with no bus: the event source calls the sync function itself. The HTTP source answers 202
 * only after the function's 2xx, 503 when it may succeed later and 502 when it refused for good; a broker-fed
 * source retries retryable answers until they pass and drops a final refusal, counted, without stalling.
 */
@QuarkusTest
class SinkEventSourceTest {

    @Inject
    ResourceCatalog catalog;

    @Inject
    EmbeddedKafkaBroker broker;

    @Inject
    MeterRegistry registry;

    @Inject
    dev.sluice.bus.Buses buses;

    private HttpServer function;
    /** Delivered ids, in arrival order of first delivery. */
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @BeforeEach
    void startFunction() throws IOException {
        function = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        function.setExecutor(Executors.newFixedThreadPool(4));
        // ids say how to answer: "bad-*" 400 always, "flaky-*" 503 twice then 200, anything else 200
        function.createContext("/", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("ce-id");
            exchange.getRequestBody().readAllBytes();
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            int status = id.startsWith("bad-") ? 400 : id.startsWith("flaky-") && attempt <= 2 ? 503 : 200;
            if (status == 200) {
                delivered.add(id);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        function.start();
    }

    @AfterEach
    void stopFunction() {
        function.stop(0);
    }

    private String functionUri() {
        return "http://127.0.0.1:" + function.getAddress().getPort() + "/";
    }

    @Test
    void theHttpSourceAnswersWithTheFunctionsOutcome() {
        TestEventSources.upsert(catalog, 1, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: direct-http, namespace: default}
                spec:
                  sink: {uri: "%s"}
                  http:
                    calls: {}
                """.formatted(functionUri()));
        TestEventSources.awaitReady(catalog, "default", "direct-http");
        assertThat(TestEventSources.condition(catalog, "default", "direct-http", "SinkResolved"))
                .map(Condition::isTrue).contains(true);

        post("ok-1").then().statusCode(202);
        assertThat(delivered).contains("ok-1");
        post("bad-1").then().statusCode(502).body(containsString("status 400"));
        post("flaky-1").then().statusCode(503).body(containsString("status 503"));
        assertThat(delivered).doesNotContain("bad-1", "flaky-1");
    }

    @Test
    void aKafkaSourceRetriesUntilTheFunctionTakesItAndDropsOnlyFinalRefusals() throws Exception {
        try (SourceTopic topic = new SourceTopic(broker.bootstrapServers().orElseThrow(), "direct")) {
            TestEventSources.upsert(catalog, 1, """
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventSource
                    metadata: {name: direct-kafka, namespace: default}
                    spec:
                      sink: {uri: "%s"}
                      kafka:
                        orders: {brokers: "%s", topic: %s, initialOffset: earliest}
                    """.formatted(functionUri(), topic.brokers, topic.name));
            TestEventSources.awaitReady(catalog, "default", "direct-kafka");
            Set<String> expected = new HashSet<>();
            for (String id : List.of("ok-1", "flaky-1", "bad-1", "ok-2", "flaky-2", "ok-3")) {
                topic.send(null, "{}", "ce_specversion", "1.0", "ce_id", id, "ce_source", "/test", "ce_type", "t",
                        "content-type", "application/json");
                if (!id.startsWith("bad-")) {
                    expected.add(id);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(expected));
            assertThat(delivered).isEqualTo(expected);
            assertThat(attempts.get("flaky-1").get()).isEqualTo(3);
            assertThat(attempts.get("bad-1").get()).as("a final refusal is not retried").isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("sluice.source.sink.refused")
                    .tag("eventsource", "direct-kafka").counter() != null
                    && registry.find("sluice.source.sink.refused").tag("eventsource", "direct-kafka").counter().count() == 1);
        }
    }

    @Test
    void aSinkAtTheCloudMetadataAddressIsNotAllowed() {
        TestEventSources.upsert(catalog, 1, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: metadata-sink, namespace: default}
                spec:
                  sink: {uri: "http://169.254.169.254/latest/meta-data/"}
                  http:
                    calls: {}
                """);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                TestEventSources.condition(catalog, "default", "metadata-sink", Condition.READY)).hasValueSatisfying(ready -> {
                    assertThat(ready.isTrue()).isFalse();
                    assertThat(ready.getReason()).isEqualTo(Reasons.SINK_NOT_ALLOWED);
                    assertThat(ready.getMessage()).contains("spec.sink.uri").contains("169.254.0.0/16");
                }));
        given().contentType("application/json").body("{}").post("/default/metadata-sink/calls").then().statusCode(404);
    }

    @Test
    void withABusAndASinkBothGetEveryEventAndTheSendersAnswerWaitsForBoth() {
        TestEventSources.upsert(catalog, 1, """
                apiVersion: events.sluice.dev/v1alpha1
                kind: EventSource
                metadata: {name: direct-both, namespace: default}
                spec:
                  eventBus: default
                  sink: {uri: "%s"}
                  http:
                    calls: {}
                """.formatted(functionUri()));
        TestEventSources.awaitReady(catalog, "default", "direct-both");
        try (TestEventSources.BusRecorder bus = new TestEventSources.BusRecorder(buses, "direct-both-test",
                dev.sluice.bus.BusNames.topic("default", "direct-both", "calls"))) {
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "both-" + i)
                        .header("ce-source", "/test").header("ce-type", "t").body("{}")
                        .post("/default/direct-both/calls").then().statusCode(202);
                sent.add("both-" + i);
            }
            assertThat(delivered).as("the sink had each before the 202").containsAll(sent);
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.byId.keySet().containsAll(sent));
            given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "bad-both")
                    .header("ce-source", "/test").header("ce-type", "t").body("{}")
                    .post("/default/direct-both/calls").then().statusCode(502);
        } finally {
            catalog.delete(new dev.sluice.api.ResourceKey("EventSource", "default", "direct-both"));
        }
    }

    private static io.restassured.response.Response post(String id) {
        return given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/test").header("ce-type", "t").body("{}").post("/default/direct-http/calls");
    }
}
