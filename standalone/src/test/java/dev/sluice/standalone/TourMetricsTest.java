package dev.sluice.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The tour, counted: N orders posted through the tour's resources, of which M are big, and a scrape of the
 * Prometheus endpoint that must show N received, published and read by the Trigger, M matched and delivered to
 * the display, N published to all-orders, and the refused requests apart.
 */
@QuarkusTest
@QuarkusTestResource(value = TourResources.class, restrictToAnnotatedClass = true)
class TourMetricsTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int SENT = 40;
    private static final int BIG = 10; // every fourth order is over 100

    @Test
    void aScrapeAfterTheTourShowsTheCountsOfWhatWasSent() {
        awaitReady("shop");
        awaitReady("big-orders");
        long displayedBefore = displayed();
        // other tests of this app (SafeReloadTest) may have met 404s while their files loaded: count from here
        // (a series not scraped yet sums to -1)
        double unknownBefore = Math.max(0, PrometheusScrape.now().sum("sluice_source_received_total", "namespace",
                "unknown", "outcome", "rejected", "code", "404"));
        for (int i = 0; i < SENT; i++) {
            int amount = i % 4 == 0 ? 150 + i : 5 + i;
            given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "metrics-" + i)
                    .header("ce-source", "/tour").header("ce-type", "shop.order").body("{\"amount\":" + amount + "}")
                    .post("/default/shop/orders").then().statusCode(202);
        }
        given().contentType("text/plain").body("hi").post("/default/shop/orders").then().statusCode(415);
        given().contentType("application/json").body("{}").post("/default/shop/refunds").then().statusCode(404);
        await().atMost(PATIENCE).until(() -> displayed() == displayedBefore + BIG);

        await().atMost(PATIENCE).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.now();
            String[] orders = { "namespace", "default", "eventsource", "shop", "event", "orders" };
            String[] trigger = { "namespace", "default", "trigger", "big-orders" };
            assertThat(scrape.sum("sluice_source_received_total", with(orders, "outcome", "accepted", "code", "202")))
                    .as("received\n%s", scrape).isEqualTo(SENT);
            assertThat(scrape.sum("sluice_source_received_total", with(orders, "outcome", "rejected", "code", "415")))
                    .isEqualTo(1);
            assertThat(scrape.sum("sluice_source_received_total", "namespace", "unknown", "outcome", "rejected",
                    "code", "404")).isEqualTo(unknownBefore + 1);
            assertThat(scrape.sum("sluice_source_ingress_latency_seconds_count", with(orders, "outcome", "accepted")))
                    .isEqualTo(SENT);
            assertThat(scrape.sum("sluice_bus_published_total", "topic", "default-shop-orders", "outcome",
                    "acknowledged")).isEqualTo(SENT);
            assertThat(scrape.sum("sluice_trigger_received_total", trigger)).isEqualTo(SENT);
            assertThat(scrape.sum("sluice_trigger_evaluated_total", with(trigger, "subscriber", "0", "outcome",
                    "matched"))).isEqualTo(BIG);
            assertThat(scrape.sum("sluice_trigger_evaluated_total", with(trigger, "subscriber", "0", "outcome",
                    "unmatched"))).isEqualTo(SENT - BIG);
            assertThat(scrape.sum("sluice_trigger_delivered_total", with(trigger, "subscriber", "0", "outcome",
                    "delivered"))).isEqualTo(BIG);
            assertThat(scrape.sum("sluice_trigger_delivered_total", with(trigger, "subscriber", "1", "outcome",
                    "delivered"))).isEqualTo(SENT);
            assertThat(scrape.sum("sluice_trigger_delivered_total", with(trigger, "outcome", "dead-lettered")))
                    .isZero();
            assertThat(scrape.sum("sluice_trigger_retried_total", trigger)).isZero();
            assertThat(scrape.sum("sluice_bus_published_total", "topic", "all-orders", "outcome", "acknowledged"))
                    .isEqualTo(SENT);
            assertThat(scrape.sum("sluice_trigger_delivery_latency_seconds_count", trigger)).isEqualTo(SENT + BIG);
            assertThat(scrape.sum("sluice_resources", "kind", "Trigger", "ready", "true")).isEqualTo(1);
            assertThat(scrape.sum("sluice_resources", "kind", "EventSource", "ready", "false")).isZero();
            assertThat(scrape.sum("sluice_reconciled_total", "kind", "Trigger", "outcome", "error")).isEqualTo(-1);
        });
    }

    private static String[] with(String[] tags, String... more) {
        String[] all = java.util.Arrays.copyOf(tags, tags.length + more.length);
        System.arraycopy(more, 0, all, tags.length, more.length);
        return all;
    }

    static long displayed() {
        return given().get("/display").then().statusCode(200).extract().jsonPath().getLong("received");
    }

    static void awaitReady(String name) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath resources = given().get("/resources").then().statusCode(200).extract().jsonPath();
            assertThat(resources.getString("find { it.name == '" + name
                    + "' }.status.conditions.find { it.type == 'Ready' }.status")).as(resources.prettify())
                    .isEqualTo("True");
        });
    }
}
