package dev.sluice.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With the one property that turns tracing on, one event of the tour is one trace: ingest, the bus hop, the
 * evaluation and the delivery share its trace id, and the POST to the display carries it in {@code traceparent}.
 */
@QuarkusTest
@TestProfile(TourTracingTest.TracingOn.class)
class TourTracingTest {
    private static final String SUBSCRIBER = "Trigger/default/big-orders spec.subscribers[0]";

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "50ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TourResources.class));
        }
    }

    @ApplicationScoped
    static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter spans() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void oneEventIsOneTraceFromIngestToTheSink() {
        TourMetricsTest.awaitReady("big-orders");
        given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "traced-1")
                .header("ce-source", "/tour").header("ce-type", "shop.order").body("{\"amount\":500}")
                .post("/default/shop/orders").then().statusCode(202);

        Map<String, String> shown = awaitDisplayed("traced-1");
        String traceId = traceId(shown.get("traceparent"));
        assertThat(traceId(shown.get("requestTraceparent"))).as("the POST to the sink is in the event's trace")
                .isEqualTo(traceId);

        await().atMost(TourMetricsTest.PATIENCE).untilAsserted(() -> assertThat(names(spansOf(traceId)))
                .contains("ingest default/shop/orders", "publish default-shop-orders", "receive default-shop-orders",
                        "evaluate " + SUBSCRIBER, "deliver " + SUBSCRIBER, "POST"));
        List<SpanData> trace = spansOf(traceId);
        SpanData ingest = named(trace, "ingest default/shop/orders");
        assertThat(named(trace, "receive default-shop-orders").getParentSpanId())
                .as("the trigger continues from the traceparent written at ingest").isEqualTo(ingest.getSpanId());
        assertThat(shown.get("traceparent")).contains(ingest.getSpanId());
        SpanData post = trace.stream().filter(s -> s.getName().equals("POST")
                && s.getAttributes().asMap().toString().contains("/display")).findFirst().orElseThrow();
        assertThat(shown.get("requestTraceparent")).contains(post.getSpanId());
    }

    @Test
    void anEventThatArrivesWithATraceKeepsIt() {
        TourMetricsTest.awaitReady("big-orders");
        String theirs = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "traced-2")
                .header("ce-source", "/tour").header("ce-type", "shop.order").header("ce-traceparent", theirs)
                .body("{\"amount\":500}").post("/default/shop/orders").then().statusCode(202);

        Map<String, String> shown = awaitDisplayed("traced-2");
        assertThat(shown.get("traceparent")).as("intermediaries do not rewrite the extension").isEqualTo(theirs);
        assertThat(traceId(shown.get("requestTraceparent"))).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        await().atMost(TourMetricsTest.PATIENCE).untilAsserted(() -> assertThat(
                named(spansOf("4bf92f3577b34da6a3ce929d0e0e4736"), "ingest default/shop/orders").getParentSpanId())
                .isEqualTo("00f067aa0ba902b7"));
    }

    private static Map<String, String> awaitDisplayed(String id) {
        return await().atMost(TourMetricsTest.PATIENCE).until(() -> given().get("/display").then().statusCode(200)
                .extract().jsonPath().<Map<String, String>>getList("latest").stream()
                .filter(e -> id.equals(e.get("id"))).findFirst().orElse(null), e -> e != null);
    }

    private List<SpanData> spansOf(String traceId) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(SpanData::getName).toList();
    }

    private static SpanData named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + names(spans)));
    }

    /** The trace id of a W3C traceparent: {@code 00-<trace id>-<span id>-<flags>}. */
    private static String traceId(String traceparent) {
        assertThat(traceparent).as("a traceparent").isNotNull().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.split("-")[1];
    }
}
