package dev.sluice.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.sluice.api.ResourceKey;
import dev.sluice.api.eventbus.EventBus;
import dev.sluice.bus.Buses;
import dev.sluice.resources.ResourceCatalog;
import dev.sluice.resources.ResourceParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * An EventSource on a bus whose broker does not answer: while its reconcile waits on the broker, the management
 * endpoints answer at once; posts get 503 with {@code Retry-After} within the publish timeout; the service is
 * unready only while a resource uses that bus; deleting the EventBus closes its clients.
 */
@QuarkusTest
class BusOutageTest {
    /** The management endpoints' promise; generous for a busy machine, and far below the seconds a reconcile waits. */
    private static final long ANSWER_MILLIS = 1_000;

    @Inject
    ResourceCatalog catalog;

    @Inject
    Buses buses;

    @Test
    void aBusThatIsDownRefusesPostsQuicklyAndBlocksNothingElse() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // closed again: nothing listens there
        }
        int connectionsBefore = buses.openConnections();
        // the reconciles wait on the dead broker for seconds (reachability, topics): run them aside
        CompletableFuture<Void> applied = CompletableFuture.runAsync(() -> {
            ResourceParser parser = new ResourceParser(new ObjectMapper());
            parser.parse("""
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventBus
                    metadata: {name: dead, namespace: outage}
                    spec:
                      kafka: {brokers: "127.0.0.1:%d"}
                    """.formatted(deadPort), "test").forEach(parsed -> catalog.upsert(parsed.resource()));
            TestEventSources.upsert(catalog, 1, """
                    apiVersion: events.sluice.dev/v1alpha1
                    kind: EventSource
                    metadata: {name: shop, namespace: outage}
                    spec:
                      eventBus: dead
                      http:
                        orders: {}
                    """);
        });
        List<Long> answers = new ArrayList<>();
        while (!applied.isDone()) {
            answers.add(timed(() -> given().get("/resources").then().statusCode(200).extract().response()));
            answers.add(timed(() -> given().get("/q/health/live").then().statusCode(200).extract().response()));
        }
        applied.get();
        assertThat(answers).as("management answers while reconciles waited on the broker").isNotEmpty()
                .allSatisfy(millis -> assertThat(millis).isLessThan(ANSWER_MILLIS));

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Response response = given().contentType("application/json").body("{\"amount\":" + i + "}")
                    .post("/outage/shop/orders");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isEqualTo("1");
            // sluice.bus.publish-timeout is 2 s in these tests
            assertThat(millis).as("answer time of a post").isLessThan(2_000 + ANSWER_MILLIS);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503));
        given().get("/q/health/live").then().statusCode(200);

        // no resource uses the dead bus any more: ready again, though the EventBus itself is still there
        catalog.delete(new ResourceKey("EventSource", "outage", "shop"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
        // and once the EventBus goes too, its producer and admin client are closed
        catalog.delete(new ResourceKey(EventBus.class.getSimpleName(), "outage", "dead"));
        await().atMost(Duration.ofSeconds(30)).until(() -> buses.openConnections() == connectionsBefore);
    }

    private static long timed(java.util.function.Supplier<Response> call) {
        long start = System.nanoTime();
        call.get();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
