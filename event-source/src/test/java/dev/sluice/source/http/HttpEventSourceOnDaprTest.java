package dev.sluice.source.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.bus.BusNames;
import dev.sluice.bus.dapr.FakeDaprSidecar;
import dev.sluice.bus.dapr.FakeDaprSidecarResource;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The HTTP source on the Dapr bus, with a stand-in for the sidecar on its gRPC contract: the ingress answers 202
 * only once the sidecar acknowledged the publish, and 503 with the reason when it refuses or does not answer in
 * time.
 */
@QuarkusTest
@TestProfile(HttpEventSourceOnDaprTest.Profile.class)
class HttpEventSourceOnDaprTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.embedded-kafka.enabled", "false", "sluice.resources.dir", "src/test/resources/dapr",
                    "sluice.bus.publish-timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeDaprSidecarResource.class, Map.of("appCallback", "false")));
        }
    }

    @AfterEach
    void sidecarPublishesAgain() {
        sidecar().failPublishes(null);
        sidecar().delayPublishes(Duration.ZERO);
    }

    @Test
    void ingressAnswers202OnlyAfterTheSidecarAcknowledgedAnd503WhenItCannot() {
        String topic = BusNames.topic("default", "shop", "orders");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        sidecar().delayPublishes(Duration.ofMillis(800));
        long started = System.nanoTime();
        post("dapr-slow").then().statusCode(202);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertThat(sidecar().published()).anyMatch(p -> p.topic().equals(topic) && p.text().contains("dapr-slow"));

        sidecar().delayPublishes(Duration.ZERO);
        sidecar().failPublishes(Status.UNAVAILABLE.withDescription("kafka component down"));
        post("dapr-refused").then().statusCode(503).body(containsString("kafka component down"));

        sidecar().failPublishes(null);
        sidecar().delayPublishes(Duration.ofSeconds(5));
        post("dapr-late").then().statusCode(503).body(containsString("no acknowledgement"));
    }

    private static Response post(String id) {
        return given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/shop").header("ce-type", "shop.order.created")
                .body("{\"amount\": 1}").post("/default/shop/orders");
    }

    private static FakeDaprSidecar sidecar() {
        return FakeDaprSidecarResource.sidecar();
    }
}
