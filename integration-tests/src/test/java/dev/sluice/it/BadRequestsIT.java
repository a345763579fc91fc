package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP ingestion's answers to requests it must refuse, each one valid request changed in one way, and
 * the proof that a refused event never reaches the bus: a Trigger that takes every order sends the
 * sink exactly the events that were accepted.
 */
class BadRequestsIT {

    private static final int MAX_BODY_BYTES = 4096;

    @RegisterExtension
    final StandaloneProcess sluice = new StandaloneProcess()
            .withProperty("sluice.http.max-body-bytes", String.valueOf(MAX_BODY_BYTES));

    @Test
    void refusedRequestsGetTheirStatusAndNeverReachTheSink() throws Exception {
        try (RecordingSink sink = RecordingSink.start()) {
            sluice.start(ShopResources.write(sluice.resourcesDir(), "all-orders", "order", sink.uri()));
            URI orders = sluice.ingress(ShopResources.NAMESPACE, ShopResources.EVENT_SOURCE, ShopResources.EVENT);
            String small = "{\"amount\":500}";

            SoftAssertions softly = new SoftAssertions();
            // Refused first, so that one wrongly put on the bus would reach the sink before the accepted ones.
            expect(softly, 400, "binary CloudEvent without ce-id", HttpRequest.newBuilder(orders)
                    .header("ce-specversion", "1.0")
                    .header("ce-source", OrderEvent.SOURCE)
                    .header("ce-type", OrderEvent.TYPE)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(small))
                    .build());
            expect(softly, 404, "unknown event",
                    OrderEvent.binaryPost(sluice.ingress("default", "shop", "refunds"), "bad-unknown-event", small));
            expect(softly, 404, "unknown event source",
                    OrderEvent.binaryPost(sluice.ingress("default", "nosuch", "orders"), "bad-unknown-source", small));
            expect(softly, 404, "unknown namespace", OrderEvent.binaryPost(
                    sluice.ingress("elsewhere", "shop", "orders"), "bad-unknown-namespace", small));
            expect(softly, 415, "text/plain body without ce-* headers", HttpRequest.newBuilder(orders)
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("an order for 500"))
                    .build());
            expect(softly, 413, "body one byte over sluice.http.max-body-bytes",
                    OrderEvent.binaryPost(orders, "bad-too-large", jsonOfBytes(MAX_BODY_BYTES + 1)));

            expect(softly, 202, "binary CloudEvent", OrderEvent.binaryPost(orders, "ok-binary", small));
            expect(softly, 202, "body of exactly sluice.http.max-body-bytes",
                    OrderEvent.binaryPost(orders, "ok-at-limit", jsonOfBytes(MAX_BODY_BYTES)));
            expect(softly, 202, "structured CloudEvent", HttpRequest.newBuilder(orders)
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(structured("ok-structured")))
                    .build());
            expect(softly, 202, "batch of two CloudEvents", HttpRequest.newBuilder(orders)
                    .header("Content-Type", "application/cloudevents-batch+json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "[" + structured("ok-batch-1") + "," + structured("ok-batch-2") + "]"))
                    .build());
            softly.assertAll();

            Set<String> accepted = Set.of("ok-binary", "ok-at-limit", "ok-structured", "ok-batch-1", "ok-batch-2");
            await("every accepted event reaches the sink")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("sluice exited", () -> !sluice.isAlive())
                    .untilAsserted(() -> assertThat(sink.ids()).containsAll(accepted));
            sink.awaitQuiet(Duration.ofSeconds(2));

            assertThat(sink.ids()).as("ids delivered to the sink").containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(sink.requestsWithoutId()).as("sink requests without a ce-id header").isZero();
        }
    }

    private void expect(SoftAssertions softly, int status, String what, HttpRequest request)
            throws InterruptedException {
        try {
            HttpResponse<String> response = sluice.client().send(request, HttpResponse.BodyHandlers.ofString());
            softly.assertThat(response.statusCode())
                    .as("%s → %d (answer body: %s)", what, status, response.body())
                    .isEqualTo(status);
        } catch (IOException e) {
            softly.fail(what + " → " + status + ", but the request failed: " + e);
        }
    }

    /** A JSON object of exactly {@code bytes} UTF-8 bytes, padded with a string field. */
    private static String jsonOfBytes(int bytes) {
        String prefix = "{\"amount\":500,\"padding\":\"";
        String suffix = "\"}";
        String json = prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix;
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return json;
    }

    private static String structured(String id) {
        return """
                {"specversion":"1.0","id":"%s","source":"%s","type":"%s",\
                "datacontenttype":"application/json","data":{"orderId":"%s","amount":500}}"""
                .formatted(id, OrderEvent.SOURCE, OrderEvent.TYPE, id);
    }
}
